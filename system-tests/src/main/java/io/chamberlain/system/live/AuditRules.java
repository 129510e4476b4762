package io.chamberlain.system.live;

import io.chamberlain.domain.ChamberKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The guarantees of DESIGN.md "Guarantees", checked from the outside: what was published against
 * what the verdict stream holds. Pure (lists in, {@link AuditReport} out), so each rule has a table
 * test that makes it fail.
 *
 * <ul>
 *   <li><b>exactly once</b> — every published context has exactly one message in the verdict stream
 *       (none: lost; more: duplicated past the {@code Nats-Msg-Id} dedupe); no verdict for a context
 *       nobody published, or under another chamber;
 *   <li><b>per-chamber order</b> — per chamber, the stream order of verdicts equals publish order;
 *   <li><b>exclusive ownership</b> — per chamber, the runs of consecutive verdicts by one defender
 *       (in stream order) do not overlap in time: a run ends (its last {@code publishedAt}) no later
 *       than the next run begins. Two defenders processing one chamber at once show up as
 *       interleaved runs whose timestamps cross. What it cannot see: a second owner that stayed idle;
 *   <li><b>state continuity</b> — per chamber, each verdict's state has judged exactly one context
 *       more than the one before ({@code contextsJudged}), across handovers and crashes: a new owner
 *       that started from scratch, or lost or doubled a commit, breaks the count.
 * </ul>
 * Each violation is one human-readable line; a rule stops listing after {@link #MAX_LISTED} and
 * says how many more there were.
 */
public final class AuditRules {

  static final int MAX_LISTED = 20;

  private AuditRules() {
  }

  public static AuditReport audit(List<PublishedEvent> published, List<Verdict> stream) {
    Violations violations = new Violations();
    Map<String, PublishedEvent> publishedById = new HashMap<>();
    published.forEach(event -> publishedById.put(event.contextId(), event));
    Map<String, List<Verdict>> byContext = new HashMap<>();
    stream.forEach(verdict -> byContext.computeIfAbsent(verdict.contextId(), id -> new ArrayList<>()).add(verdict));

    int lost = 0;
    int duplicated = 0;
    for (PublishedEvent event : published) {
      List<Verdict> copies = byContext.getOrDefault(event.contextId(), List.of());
      lost += copies.isEmpty() ? 1 : 0;
      duplicated += copies.size() > 1 ? 1 : 0;
      if (copies.isEmpty()) {
        violations.add("lost", "chamber " + event.chamber() + " context " + event.contextId()
            + " (published at " + event.ackedAt() + ") has no verdict");
      } else if (copies.size() > 1) {
        violations.add("duplicated", "context " + event.contextId() + " has " + copies.size()
            + " verdicts in the stream (sequences " + copies.stream().map(Verdict::streamSequence).toList() + ")");
      }
    }
    Map<ChamberKey, List<Verdict>> byChamber = new TreeMap<>();
    for (Verdict verdict : stream) {
      PublishedEvent event = publishedById.get(verdict.contextId());
      if (event == null) {
        violations.add("unexpected", "verdict seq " + verdict.streamSequence() + " for context " + verdict.contextId()
            + " that was never published");
      } else if (!event.chamber().equals(verdict.chamber())) {
        violations.add("wrong-chamber", "context " + verdict.contextId() + " of " + event.chamber()
            + " has a verdict under " + verdict.chamber());
      } else if (byContext.get(verdict.contextId()).get(0) == verdict) {
        byChamber.computeIfAbsent(verdict.chamber(), c -> new ArrayList<>()).add(verdict);
      }
    }
    checkOrder(published, byChamber, violations);
    byChamber.forEach((chamber, verdicts) -> checkExclusive(chamber, verdicts, violations));
    byChamber.forEach((chamber, verdicts) -> checkStateContinuity(chamber, verdicts, violations));
    return new AuditReport(published.size(), stream.size(), lost, duplicated, violations.lines(), violations.counts(),
        byChamber);
  }

  private static void checkOrder(List<PublishedEvent> published, Map<ChamberKey, List<Verdict>> byChamber,
      Violations violations) {
    Map<ChamberKey, List<String>> publishOrder = new TreeMap<>();
    for (PublishedEvent event : published) {
      publishOrder.computeIfAbsent(event.chamber(), c -> new ArrayList<>()).add(event.contextId());
    }
    byChamber.forEach((chamber, verdicts) -> {
      List<String> verdictOrder = verdicts.stream().map(Verdict::contextId).toList();
      java.util.Set<String> seen = new java.util.HashSet<>(verdictOrder);
      List<String> expected = publishOrder.get(chamber).stream().filter(seen::contains).toList();
      for (int i = 0; i < expected.size(); i++) {
        if (!expected.get(i).equals(verdictOrder.get(i))) {
          violations.add("order", "chamber " + chamber + ": verdict #" + (i + 1) + " is for " + verdictOrder.get(i)
              + ", but " + expected.get(i) + " was published before it");
          return;
        }
      }
    });
  }

  private static void checkExclusive(ChamberKey chamber, List<Verdict> verdicts, Violations violations) {
    List<AuditReport.Run> runs = AuditReport.runsOf(verdicts);
    for (int i = 1; i < runs.size(); i++) {
      AuditReport.Run previous = runs.get(i - 1);
      AuditReport.Run next = runs.get(i);
      if (previous.lastPublishedAt() > next.firstPublishedAt()) {
        violations.add("exclusivity", "chamber " + chamber + ": " + previous.defender() + " published until "
            + previous.lastPublishedAt() + " but " + next.defender() + " already published at "
            + next.firstPublishedAt() + " (runs overlap by " + (previous.lastPublishedAt() - next.firstPublishedAt())
            + " ms)");
      }
    }
  }

  private static void checkStateContinuity(ChamberKey chamber, List<Verdict> verdicts, Violations violations) {
    for (int i = 1; i < verdicts.size(); i++) {
      Verdict previous = verdicts.get(i - 1);
      Verdict next = verdicts.get(i);
      if (previous.contextsJudged() >= 0 && next.contextsJudged() >= 0
          && next.contextsJudged() != previous.contextsJudged() + 1) {
        violations.add("state", "chamber " + chamber + ": " + next.contextId() + " (by " + next.defender()
            + ") was judged with a state of " + next.contextsJudged() + " contexts right after " + previous.contextId()
            + " (by " + previous.defender() + ") with " + previous.contextsJudged()
            + ": history lost or counted twice");
      }
    }
  }

  /** Violation lines, at most {@link #MAX_LISTED} per rule plus a count of the rest. */
  private static final class Violations {
    private final Map<String, List<String>> byRule = new TreeMap<>();
    private final Map<String, Integer> counts = new TreeMap<>();

    void add(String rule, String line) {
      int count = counts.merge(rule, 1, Integer::sum);
      if (count <= MAX_LISTED) {
        byRule.computeIfAbsent(rule, r -> new ArrayList<>()).add(rule + ": " + line);
      }
    }

    Map<String, Integer> counts() {
      return Map.copyOf(counts);
    }

    List<String> lines() {
      List<String> lines = new ArrayList<>();
      byRule.forEach((rule, listed) -> {
        lines.addAll(listed);
        if (counts.get(rule) > listed.size()) {
          lines.add(rule + ": … and " + (counts.get(rule) - listed.size()) + " more");
        }
      });
      return List.copyOf(lines);
    }
  }
}
