package io.chamberlain.defense;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The built-in defense process: indicators of the trace → standardized against the chamber's
 * learned limits → run rules → verdict, updating the chamber's state on the way.
 *
 * <p>Per context, in this order: (1) a context id already judged returns
 * {@link DefenseOutcome.Duplicate} and changes nothing; (2) while the chamber is warming up its
 * limits learn the context and the verdict is {@code OK, learning}; (3) afterwards every chart's
 * z enters its history, the rules judge it, and in-control values update the limits. The result
 * depends only on the state and the input, so a chamber resumed from {@link
 * ChamberDefenseState#toBytes()} on another node gives exactly the verdicts an unbroken run would.
 * Instances are stateless and thread-safe; a state must not be evaluated by two threads at once.
 */
public final class BuiltInDefense {

  private final DefenseSettings settings;

  public BuiltInDefense(DefenseSettings settings) {
    this.settings = settings;
  }

  public DefenseSettings settings() {
    return settings;
  }

  /** Judges a context from its trace. @throws CorruptTraceException if the trace holds NaN/∞ */
  public DefenseOutcome evaluate(ChamberDefenseState state, String contextId, Trace trace) {
    if (state.alreadyJudged(contextId)) {
      return new DefenseOutcome.Duplicate(contextId);
    }
    return evaluate(state, contextId, Indicators.of(trace, settings.perStepWindows()));
  }

  /** Judges a context from indicators computed elsewhere. */
  public DefenseOutcome evaluate(ChamberDefenseState state, String contextId, IndicatorValues values) {
    if (state.alreadyJudged(contextId)) {
      return new DefenseOutcome.Duplicate(contextId);
    }
    // the window depends on the chart count only, not on how much the limits have learned
    state.shapeFor(values, settings.ruleParameters(values.seriesCount(), 0).window());
    ControlLimits limits = state.limits();
    RuleParameters rules = settings.ruleParameters(values.seriesCount(), limits.learnedContexts());
    boolean learning = !limits.warm(settings.warmupContexts());
    IndicatorValues charted = charted(values);
    List<Violation> violations = learning ? List.of() : judge(state, values, charted, rules);
    if (learning) {
      limits.learnWarmup(charted, settings.warmupContexts());
    }
    state.markJudged(contextId);
    return new DefenseOutcome.Judged(Verdict.of(contextId, violations, settings.maxListedViolations(), learning));
  }

  private List<Violation> judge(ChamberDefenseState state, IndicatorValues values, IndicatorValues charted,
                                RuleParameters rules) {
    ControlLimits limits = state.limits();
    ZHistory history = state.history();
    float[] z = new float[values.seriesCount()];
    for (int s = 0; s < z.length; s++) {
      z[s] = (float) limits.standardize(s, charted.bySeries(s));
    }
    history.append(z); // the rules read the quantized values back, exactly as a resumed chamber would
    List<Violation> violations = new ArrayList<>();
    float[] window = new float[history.capacity()];
    for (int s = 0; s < z.length; s++) {
      int length = history.window(s, window);
      Set<Rule> broken = RunRules.violated(window, length, rules);
      for (Rule rule : broken) {
        violations.add(violation(rule, values, s, limits, rules.limitSigma(), z[s]));
      }
    }
    limits.learnInControl(charted, z, rules.limitSigma(), settings.ewmaLambda());
    return violations;
  }

  private static IndicatorValues charted(IndicatorValues values) {
    IndicatorValues charted = values.emptyLike();
    for (int svid = 0; svid < values.svidCount(); svid++) {
      for (int window = 0; window < values.windows(); window++) {
        for (Indicator indicator : Indicator.values()) {
          charted.set(svid, window, indicator, indicator.charted(values.get(svid, window, indicator)));
        }
      }
    }
    return charted;
  }

  /** Limits are reported in raw units (for log-charted indicators: asymmetric around the geometric centre). */
  private static Violation violation(Rule rule, IndicatorValues values, int series, ControlLimits limits, double k,
                                     float z) {
    Indicator indicator = IndicatorValues.indicatorOf(series);
    double centre = limits.centre(series);
    double halfBand = k * limits.sigma(series);
    return new Violation(rule.id(), rule.severity(), values.svidOf(series), indicator.id(), values.windowOf(series),
        values.bySeries(series), indicator.raw(centre), indicator.raw(centre - halfBand), indicator.raw(centre + halfBand), z);
  }
}
