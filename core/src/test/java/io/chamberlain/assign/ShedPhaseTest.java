package io.chamberlain.assign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shed phase on hand-built defenders: what leaves an overloaded defender. */
class ShedPhaseTest {

  private static final double EPS = AssignmentTuning.DEFAULT_EPSILON;

  /** Chamber weights by rank (ascending); bin {@code over} holds the given ranks, {@code roomy} none. */
  private static List<Double> shed(double[] weightByRank, int[] overRanks, double overFair, double roomyFair) {
    DefenderBin over = new DefenderBin(0, DefenderSpec.of("over"), overFair, EPS, weightByRank);
    DefenderBin roomy = new DefenderBin(1, DefenderSpec.of("roomy"), roomyFair, EPS, weightByRank);
    Arrays.stream(overRanks).forEach(over::append);
    OrphanPool pool = new OrphanPool(8);
    ShedPhase.run(new DefenderBin[] {over, roomy}, pool);
    List<Double> shed = new ArrayList<>();
    for (int i = 0; i < pool.size; i++) {
      shed.add(weightByRank[pool.ranks[i]]);
    }
    double kept = 0;
    for (int i = 0; i < over.size(); i++) {
      kept += over.weightAt(i);
    }
    double total = shed.stream().mapToDouble(Double::doubleValue).sum();
    assertEquals(Arrays.stream(overRanks).mapToDouble(r -> weightByRank[r]).sum(), kept + total, 1e-9, "conservation");
    return shed;
  }

  @Test
  void lightChambersThatCannotCoverTheExcessStay() {
    // Load 60, excess 19.5: more than all light chambers together (19). The greedy picks 8, 6, 3,
    // 2 and still needs the 20; then the light ones are redundant and stay (before the fix all
    // five left, 39 of weight for an excess of 19.5).
    double[] weights = {2, 3, 6, 8, 20, 21};
    List<Double> shed = shed(weights, new int[] {0, 1, 2, 3, 4, 5}, (60 - 19.5) / (1 + EPS), 40);
    assertEquals(List.of(20.0), shed);
  }

  @Test
  void oneChamberThatCoversTheExcessBeatsAPieceAndAnOvershoot() {
    // Excess 1.4: the largest chamber within it (1.39) leaves 0.01, and the smallest that covers
    // that is 1.0, 2.39 in all; the 1.41 alone covers the excess.
    double[] weights = {1.0, 1.39, 1.41, 30};
    double load = 1.0 + 1.39 + 1.41 + 30;
    List<Double> shed = shed(weights, new int[] {0, 1, 2, 3}, (load - 1.4) / (1 + EPS), 40);
    assertEquals(List.of(1.41), shed);
  }

  @Test
  void aSingleCoverThatFitsNoRoomDoesNotReplaceLighterPiecesThatFit() {
    // Excess 9.5, largest room 6: the pieces 3.5 + 3.5 + 3 (10) fit; the 9.6 alone is lighter but
    // lands nowhere without displacing at least 3.6 more.
    double[] weights = {3, 3.5, 3.5, 9.6, 50};
    double load = 69.6;
    List<Double> shed = shed(weights, new int[] {0, 1, 2, 3, 4}, (load - 9.5) / (1 + EPS), 6 / (1 + EPS));
    assertEquals(List.of(3.5, 3.5, 3.0), shed);
  }

  @Test
  void aChamberHeavierThanTheBoundStaysAndSitsAlone() {
    double[] weights = {1, 2, 3, 100};
    List<Double> shed = shed(weights, new int[] {0, 1, 2, 3}, 50, 100);
    assertEquals(List.of(3.0, 2.0, 1.0), shed);
  }
}
