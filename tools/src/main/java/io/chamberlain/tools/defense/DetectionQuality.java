package io.chamberlain.tools.defense;

import io.chamberlain.defense.BuiltInDefense;
import io.chamberlain.defense.ChamberDefenseState;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.DefenseSettings;
import io.chamberlain.defense.FaultKind;
import io.chamberlain.defense.GeneratedTrace;
import io.chamberlain.defense.GroundTruth;
import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.defense.Verdict;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import java.util.EnumMap;
import java.util.Map;

/**
 * Measures the built-in process against the simulator's ground truth: {@code chambers} chambers
 * each run {@code contexts} contexts with faults injected at {@code faultRate}; contexts judged
 * during warm-up are not scored. A faulty context counts as detected if its verdict is ALARM
 * (or, in the second column, WARN or worse), and as localized if a listed violation names one of
 * the faulty SVIDs; a clean context with an ALARM (WARN or worse) is a false alarm (warning).
 */
public final class DetectionQuality {

  /** Counts for one fault kind (NONE = the clean contexts). */
  public static final class Tally {
    int contexts;
    int alarms;
    int warnOrWorse;
    int localized;

    public int contexts() {
      return contexts;
    }

    public double alarmRate() {
      return rate(alarms);
    }

    public double warnOrWorseRate() {
      return rate(warnOrWorse);
    }

    public double localizedRate() {
      return rate(localized);
    }

    private double rate(int count) {
      return contexts == 0 ? Double.NaN : (double) count / contexts;
    }
  }

  private DetectionQuality() {
  }

  /** @return a tally per fault kind, {@link FaultKind#NONE} being the clean contexts */
  public static Map<FaultKind, Tally> run(int chambers, int contexts, int svidCount, double hz, double seconds,
                                          TraceGenerator.Settings generation, DefenseSettings settings) {
    TraceGenerator generator = new TraceGenerator(generation);
    BuiltInDefense defense = new BuiltInDefense(settings);
    Map<FaultKind, Tally> tallies = new EnumMap<>(FaultKind.class);
    for (FaultKind kind : FaultKind.values()) {
      tallies.put(kind, new Tally());
    }
    for (int c = 0; c < chambers; c++) {
      ChamberProfile profile = new ChamberProfile(new ChamberKey("quality" + c, "1"), svidCount, hz, seconds);
      ChamberDefenseState state = new ChamberDefenseState(settings.processedIdCapacity());
      for (int i = 0; i < contexts; i++) {
        String contextId = "ctx" + i;
        GeneratedTrace generated = generator.generate(profile, contextId);
        DefenseOutcome outcome = defense.evaluate(state, contextId, generated.trace());
        if (outcome instanceof DefenseOutcome.Judged judged && !judged.verdict().learning()) {
          score(tallies.get(generated.truth().fault()), judged.verdict(), generated.truth());
        }
      }
    }
    return tallies;
  }

  private static void score(Tally tally, Verdict verdict, GroundTruth truth) {
    tally.contexts++;
    if (verdict.status() == Verdict.Status.ALARM) {
      tally.alarms++;
    }
    if (verdict.status() != Verdict.Status.OK) {
      tally.warnOrWorse++;
    }
    if (truth.faulty() && verdict.violations().stream().anyMatch(v -> truth.svids().contains(v.svid()))) {
      tally.localized++;
    }
  }
}
