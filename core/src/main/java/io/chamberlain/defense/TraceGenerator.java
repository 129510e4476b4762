package io.chamberlain.defense;

import io.chamberlain.assign.StableHash;
import io.chamberlain.domain.ChamberProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulated trace data, a pure function of (seed, chamber, context id, profile): every node and
 * every run produces the same bytes, so the simulator, the demo defenders and the tests agree.
 *
 * <p>The model. The chamber runs a recipe of 3–6 steps (boundaries shared by all SVIDs, derived
 * from the chamber only). Each SVID has a base level, a level per step and a white-noise sigma,
 * also from the chamber only. Steps are joined by linear ramps. Per context, every step level of
 * every SVID gets a wafer-to-wafer offset ({@code N(0, σw)}), which is the natural variation the
 * control limits learn. With probability {@code faultRate} a context carries one fault (drift,
 * spike or level shift, uniformly) in 1..{@code maxFaultySvids} SVIDs, with a magnitude of several
 * natural sigmas; it is returned as {@link GroundTruth}.
 */
public final class TraceGenerator {

  /** @param faultRate probability that a context carries a fault, in [0, 1] */
  public record Settings(long seed, double faultRate, int maxFaultySvids) {
    public Settings {
      if (!(faultRate >= 0 && faultRate <= 1)) {
        throw new IllegalArgumentException("faultRate must be in [0, 1], was " + faultRate);
      }
      if (maxFaultySvids < 1) {
        throw new IllegalArgumentException("maxFaultySvids must be ≥ 1, was " + maxFaultySvids);
      }
    }
  }

  private static final double RAMP_SHARE = 0.04;
  private final Settings settings;

  public TraceGenerator(Settings settings) {
    this.settings = settings;
  }

  public GeneratedTrace generate(ChamberProfile profile, String contextId) {
    long samples = Math.round(profile.hz() * profile.contextSeconds());
    if (samples < 2 || samples * profile.svidCount() > TraceCodec.MAX_POINTS) {
      throw new IllegalArgumentException("chamber " + profile.chamber() + " profile gives " + samples
          + " samples × " + profile.svidCount() + " SVIDs; need ≥ 2 samples and ≤ " + TraceCodec.MAX_POINTS + " points");
    }
    String chamber = profile.chamber().toString();
    SplittableRandom recipeRandom = new SplittableRandom(StableHash.of(chamber) ^ settings.seed());
    SplittableRandom contextRandom = new SplittableRandom(StableHash.of(chamber, contextId) ^ settings.seed());
    int[] stepStarts = stepStarts(recipeRandom, (int) samples);
    float[][] series = new float[profile.svidCount()][];
    double[] naturalSigma = new double[profile.svidCount()];
    for (int svid = 0; svid < series.length; svid++) {
      SplittableRandom svidRecipe = recipeRandom.split();
      double base = Math.pow(10, svidRecipe.nextDouble(1, 3));
      double noise = base * svidRecipe.nextDouble(0.002, 0.02);
      double waferToWafer = noise * svidRecipe.nextDouble(0.5, 2);
      double[] levels = new double[stepStarts.length];
      boolean setpoint = svidRecipe.nextDouble() < 0.3; // e.g. a pressure held constant over the recipe
      for (int step = 0; step < levels.length; step++) {
        double recipeLevel = setpoint ? base : base * (1 + svidRecipe.nextDouble(-0.3, 0.3));
        levels[step] = recipeLevel + waferToWafer * contextRandom.nextGaussian();
      }
      series[svid] = render(stepStarts, levels, (int) samples, noise, contextRandom);
      naturalSigma[svid] = noise + waferToWafer;
    }
    GroundTruth truth = contextRandom.nextDouble() < settings.faultRate()
        ? FaultInjector.inject(series, naturalSigma, contextRandom, settings.maxFaultySvids())
        : GroundTruth.CLEAN;
    return new GeneratedTrace(new Trace(profile.hz(), profile.contextSeconds(), series, stepStarts), truth);
  }

  private static int[] stepStarts(SplittableRandom recipe, int samples) {
    int steps = Math.min(recipe.nextInt(3, 7), Math.max(1, samples / 8));
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int step = 1; step < steps; step++) {
      starts.add((int) ((long) samples * step / steps + recipe.nextInt(-samples / (4 * steps), samples / (4 * steps) + 1)));
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Step levels joined by linear ramps, plus white noise; the hot loop of the generator. */
  private static float[] render(int[] stepStarts, double[] levels, int samples, double noise, SplittableRandom random) {
    float[] out = new float[samples];
    int ramp = Math.max(1, (int) (samples * RAMP_SHARE));
    for (int step = 0; step < stepStarts.length; step++) {
      int from = stepStarts[step];
      int to = step + 1 < stepStarts.length ? stepStarts[step + 1] : samples;
      double previous = step == 0 ? levels[0] : levels[step - 1];
      int rampEnd = Math.min(to, from + ramp);
      for (int i = from; i < rampEnd; i++) {
        double level = previous + (levels[step] - previous) * (i - from + 1) / ramp;
        out[i] = (float) (level + noise * random.nextGaussian());
      }
      for (int i = rampEnd; i < to; i++) {
        out[i] = (float) (levels[step] + noise * random.nextGaussian());
      }
    }
    return out;
  }
}
