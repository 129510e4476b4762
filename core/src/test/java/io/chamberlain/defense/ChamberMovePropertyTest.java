package io.chamberlain.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Randomized: for random chambers, fault rates and move points (a chamber may move several
 * times), the verdicts and final state equal those of an unbroken run. The base seed is fixed for
 * the gate, random under {@code bin/chamberlain explore} ({@link Seeds}); it is printed; rerun a
 * failure with {@code -Dchamberlain.seed=<seed>}.
 */
class ChamberMovePropertyTest {

  @Test
  void movingAChamberAnyNumberOfTimesChangesNoVerdict() {
    long seed = Seeds.base("ChamberMovePropertyTest", 1_202L);
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 8; round++) {
      ChamberProfile profile = new ChamberProfile(new ChamberKey("prop" + round, "1"),
          random.nextInt(1, 12), random.nextInt(1, 6), random.nextInt(5, 40));
      TraceGenerator generator = new TraceGenerator(new TraceGenerator.Settings(random.nextLong(), random.nextDouble(0.5), 3));
      DefenseSettings settings = new DefenseSettings(random.nextInt(2, 10), random.nextDouble(0.01, 0.5),
          random.nextBoolean() ? 0 : 0.01, random.nextInt(1, 50), 20, random.nextBoolean());
      int contexts = random.nextInt(5, 60);
      double moveChance = random.nextDouble(0.05, 0.5);

      ChamberDefenseState unbrokenState = new ChamberDefenseState(settings.processedIdCapacity());
      ChamberDefenseState movingState = new ChamberDefenseState(settings.processedIdCapacity());
      List<DefenseOutcome> unbroken = new ArrayList<>();
      List<DefenseOutcome> moving = new ArrayList<>();
      for (int c = 0; c < contexts; c++) {
        Trace trace = generator.generate(profile, "c" + c).trace();
        unbroken.add(new BuiltInDefense(settings).evaluate(unbrokenState, "c" + c, trace));
        if (random.nextDouble() < moveChance) {
          movingState = ChamberDefenseState.fromBytes(movingState.toBytes());
        }
        moving.add(new BuiltInDefense(settings).evaluate(movingState, "c" + c, trace));
      }
      assertEquals(unbroken, moving, "round " + round + " seed " + seed);
      assertArrayEquals(unbrokenState.toBytes(), movingState.toBytes(), "round " + round + " seed " + seed);
    }
  }
}
