package io.chamberlain.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.wire.AssignmentSnapshot;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Which deployed chambers must read their stored state again when a defender takes a newer
 * assignment ({@link DefenderVerticle#mayHaveMovedMeanwhile}). The soak found the case: a defender
 * cut off from the cluster missed the epoch that moved its chamber to another defender and the
 * next that moved it back, kept the chamber deployed across the gap, and judged the next event
 * from its state in memory — one verdict short of the history the other defender had committed.
 */
class ChambersToReactivateTest {

  private static final ChamberKey A = ChamberKey.parse("tool1:1");
  private static final ChamberKey B = ChamberKey.parse("tool1:2");
  private static final ChamberKey C = ChamberKey.parse("tool1:3");

  @Test
  void theNextEpochKeepsTheStateOfChambersStillServedHere() {
    AssignmentSnapshot next = assignment(8, "d1", "d1", "d2");
    assertEquals(Set.of(), DefenderVerticle.mayHaveMovedMeanwhile(7, next, Set.of(A, B), "d1"));
  }

  @Test
  void aChamberNoLongerServedHereReadsItsStateAgainShouldItComeBackBeforeItsUndeploy() {
    AssignmentSnapshot next = assignment(8, "d2", "d1", "d2");
    assertEquals(Set.of(A), DefenderVerticle.mayHaveMovedMeanwhile(7, next, Set.of(A, B), "d1"));
  }

  @Test
  void aChamberLentToADeputyIsNotServedHere() {
    SortedMap<ChamberKey, AssignmentSnapshot.Entry> chambers = new TreeMap<>();
    chambers.put(A, new AssignmentSnapshot.Entry("d1", "d2", 1.0));
    chambers.put(B, new AssignmentSnapshot.Entry("d1", null, 1.0));
    AssignmentSnapshot next = new AssignmentSnapshot(8, 0, chambers);
    assertEquals(Set.of(A), DefenderVerticle.mayHaveMovedMeanwhile(7, next, Set.of(A, B), "d1"));
  }

  @Test
  void afterSkippedEpochsEveryDeployedChamberReadsItsStateAgain() {
    AssignmentSnapshot afterGap = assignment(9, "d1", "d1", "d2");
    assertEquals(Set.of(A, B), DefenderVerticle.mayHaveMovedMeanwhile(7, afterGap, Set.of(A, B), "d1"),
        "in epoch 8, which this defender never saw, A or B may have been judged elsewhere");
  }

  @Test
  void nothingDeployedNothingToReactivate() {
    assertEquals(Set.of(), DefenderVerticle.mayHaveMovedMeanwhile(0, assignment(21, "d1", "d1", "d1"), Set.of(), "d1"));
  }

  /** Epoch {@code epoch} with chambers A, B and C owned by the given defenders. */
  private static AssignmentSnapshot assignment(long epoch, String ownerOfA, String ownerOfB, String ownerOfC) {
    SortedMap<ChamberKey, AssignmentSnapshot.Entry> chambers = new TreeMap<>();
    chambers.put(A, new AssignmentSnapshot.Entry(ownerOfA, null, 1.0));
    chambers.put(B, new AssignmentSnapshot.Entry(ownerOfB, null, 1.0));
    chambers.put(C, new AssignmentSnapshot.Entry(ownerOfC, null, 1.0));
    return new AssignmentSnapshot(epoch, 0, chambers);
  }
}
