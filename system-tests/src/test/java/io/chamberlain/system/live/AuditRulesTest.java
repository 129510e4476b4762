package io.chamberlain.system.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each audit rule, made to fail by the history it exists to catch; and a clean history passing. */
class AuditRulesTest {

  private static final ChamberKey A = new ChamberKey("lt01", "1");
  private static final ChamberKey B = new ChamberKey("lt01", "2");

  private final List<PublishedEvent> published = List.of(
      event(A, "a1", 100), event(B, "b1", 110), event(A, "a2", 120), event(B, "b2", 130), event(A, "a3", 140));

  @Test
  void aCleanHistoryWithAHandoverPasses() {
    AuditReport report = AuditRules.audit(published, List.of(
        verdict(1, A, "a1", "d1", 150), verdict(2, B, "b1", "d2", 160), verdict(3, A, "a2", "d1", 170),
        verdict(4, B, "b2", "d2", 180), verdict(5, A, "a3", "d3", 190)));
    assertEquals(List.of(), report.violations());
    assertEquals(Set.of(A), report.movedChambers());
    assertEquals(50, report.maxLatencyMillis());
    assertEquals(new LatencySummary(5, 0, 50, 50, 50), report.latencySummary(), "every verdict took 50 ms");
    assertEquals("d1", report.ownersBefore(185).get(A));
    assertEquals("d3", report.firstVerdictAfter(A, 175, "d1").orElseThrow().defender());
    assertEquals(List.of(new AuditReport.Handover(A, "d1", "d3", 190)), report.handovers(0, 1_000));
    assertEquals(List.of(), report.handovers(0, 190), "the window ends before the handover");
  }

  @Test
  void aMissingVerdictIsLost() {
    assertRule("lost", List.of(verdict(1, A, "a1", "d1", 150), verdict(2, B, "b1", "d2", 160),
        verdict(3, A, "a2", "d1", 170), verdict(4, B, "b2", "d2", 180)));
  }

  @Test
  void aSecondVerdictForOneContextIsDuplicated() {
    assertRule("duplicated", List.of(verdict(1, A, "a1", "d1", 150), verdict(2, B, "b1", "d2", 160),
        verdict(3, A, "a2", "d1", 170), verdict(4, B, "b2", "d2", 180), verdict(5, A, "a3", "d1", 190),
        verdict(6, A, "a3", "d3", 200)));
  }

  @Test
  void verdictsOutOfPublishOrderBreakOrder() {
    assertRule("order", List.of(verdict(1, A, "a2", "d1", 150), verdict(2, A, "a1", "d1", 160),
        verdict(3, B, "b1", "d2", 170), verdict(4, B, "b2", "d2", 180), verdict(5, A, "a3", "d1", 190)));
  }

  @Test
  void twoDefendersWorkingOneChamberAtOnceBreakExclusivity() {
    // d1 stamped a2 at 175 but stored it after d3's a1 stamped at 170 … and then d3 again: runs cross.
    assertRule("exclusivity", List.of(verdict(1, A, "a1", "d3", 170), verdict(2, A, "a2", "d1", 165),
        verdict(3, B, "b1", "d2", 170), verdict(4, B, "b2", "d2", 180), verdict(5, A, "a3", "d3", 190)));
  }

  @Test
  void aVerdictNobodyAskedForIsUnexpected() {
    List<Verdict> verdicts = new ArrayList<>(List.of(verdict(1, A, "a1", "d1", 150), verdict(2, B, "b1", "d2", 160),
        verdict(3, A, "a2", "d1", 170), verdict(4, B, "b2", "d2", 180), verdict(5, A, "a3", "d1", 190)));
    verdicts.add(verdict(6, B, "zz", "d2", 200));
    assertRule("unexpected", verdicts);
  }

  @Test
  void aNewOwnerStartingFromScratchBreaksStateContinuity() {
    assertRule("state", List.of(judged(1, A, "a1", "d1", 150, 1), verdict(2, B, "b1", "d2", 160),
        judged(3, A, "a2", "d1", 170, 2), verdict(4, B, "b2", "d2", 180), judged(5, A, "a3", "d3", 190, 1)));
    assertRule("state", List.of(judged(1, A, "a1", "d1", 150, 1), verdict(2, B, "b1", "d2", 160),
        judged(3, A, "a2", "d1", 170, 3), verdict(4, B, "b2", "d2", 180), judged(5, A, "a3", "d1", 190, 4)));
    assertEquals(List.of(), AuditRules.audit(published, List.of(judged(1, A, "a1", "d1", 150, 7),
        verdict(2, B, "b1", "d2", 160), judged(3, A, "a2", "d1", 170, 8), verdict(4, B, "b2", "d2", 180),
        judged(5, A, "a3", "d3", 190, 9))).violations(), "history carried across the handover");
  }

  @Test
  void longestGapCoversTheWindowEdges() {
    AuditReport report = AuditRules.audit(published, List.of(
        verdict(1, A, "a1", "d1", 150), verdict(2, B, "b1", "d2", 160), verdict(3, A, "a2", "d1", 170),
        verdict(4, B, "b2", "d2", 180), verdict(5, A, "a3", "d1", 400)));
    assertEquals(230, report.longestGapMillis(A, 100, 450));
    assertEquals(270, report.longestGapMillis(B, 100, 450), "no verdict after 180 up to the window's end");
  }

  private static void assertRule(String rule, List<Verdict> stream) {
    List<String> violations = AuditRules.audit(List.of(
        event(A, "a1", 100), event(B, "b1", 110), event(A, "a2", 120), event(B, "b2", 130), event(A, "a3", 140)),
        stream).violations();
    assertTrue(violations.stream().anyMatch(line -> line.startsWith(rule + ":")), rule + " expected in " + violations);
    assertTrue(violations.stream().allMatch(line -> line.startsWith(rule + ":")), "only " + rule + " in " + violations);
  }

  private static PublishedEvent event(ChamberKey chamber, String contextId, long at) {
    return new PublishedEvent(chamber, contextId, at, at, at + 1);
  }

  private static Verdict verdict(long sequence, ChamberKey chamber, String contextId, String defender, long at) {
    return judged(sequence, chamber, contextId, defender, at, -1);
  }

  private static Verdict judged(long sequence, ChamberKey chamber, String contextId, String defender, long at,
      long contextsJudged) {
    return new Verdict(sequence, chamber, contextId, defender, at - 50, at, contextsJudged);
  }
}
