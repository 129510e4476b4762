package io.chamberlain.tools.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.defense.DefenseSettings;
import io.chamberlain.defense.FaultKind;
import io.chamberlain.defense.TraceGenerator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A small, seeded version of {@code defense-quality}: guards the detection quality against regressions. */
class DetectionQualityTest {

  @Test
  void calibratedRulesDetectInjectedFaultsWithFewFalseAlarms() {
    Map<FaultKind, DetectionQuality.Tally> tallies = DetectionQuality.run(6, 120, 30, 5, 40,
        new TraceGenerator.Settings(3, 0.15, 3), DefenseSettings.DEFAULTS);
    DetectionQuality.Tally clean = tallies.get(FaultKind.NONE);
    assertEquals(6 * 100, clean.contexts() + tallies.get(FaultKind.DRIFT).contexts()
        + tallies.get(FaultKind.SPIKE).contexts() + tallies.get(FaultKind.LEVEL_SHIFT).contexts(), "warm-up is not scored");
    assertTrue(clean.warnOrWorseRate() < 0.05, "false alarms " + clean.warnOrWorseRate());
    for (FaultKind kind : new FaultKind[] {FaultKind.DRIFT, FaultKind.SPIKE, FaultKind.LEVEL_SHIFT}) {
      DetectionQuality.Tally faulty = tallies.get(kind);
      assertTrue(faulty.contexts() > 10, kind + " contexts " + faulty.contexts());
      assertTrue(faulty.alarmRate() > 0.75, kind + " detection " + faulty.alarmRate());
      assertTrue(faulty.localizedRate() > 0.75, kind + " localization " + faulty.localizedRate());
    }
  }

  @Test
  void classicRulesAlarmOnMostCleanContextsOfAManySvidChamber() {
    DetectionQuality.Tally clean = DetectionQuality.run(2, 60, 30, 5, 40, new TraceGenerator.Settings(3, 0, 1),
        DefenseSettings.DEFAULTS.withFamilyFalseAlarm(0)).get(FaultKind.NONE);
    assertTrue(clean.warnOrWorseRate() > 0.5, "classic false alarms " + clean.warnOrWorseRate());
  }
}
