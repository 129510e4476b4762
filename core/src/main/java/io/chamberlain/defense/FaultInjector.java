package io.chamberlain.defense;

import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Adds one simulated fault to a generated context, in place. Magnitudes are multiples of each
 * SVID's natural sigma (noise + wafer-to-wafer), drawn so that some faults are blatant and some
 * are close to the detection threshold, as in a real fab.
 */
final class FaultInjector {

  private static final FaultKind[] KINDS = {FaultKind.DRIFT, FaultKind.SPIKE, FaultKind.LEVEL_SHIFT};

  private FaultInjector() {
  }

  static GroundTruth inject(float[][] series, double[] naturalSigma, SplittableRandom random, int maxFaultySvids) {
    FaultKind kind = KINDS[random.nextInt(KINDS.length)];
    int count = random.nextInt(1, Math.min(maxFaultySvids, series.length) + 1);
    TreeSet<Integer> svids = new TreeSet<>();
    while (svids.size() < count) {
      svids.add(random.nextInt(series.length));
    }
    int samples = series[0].length;
    int start = switch (kind) {
      case DRIFT -> random.nextInt(0, samples / 2 + 1);
      case SPIKE -> random.nextInt(0, samples);
      default -> random.nextInt(samples * 3 / 10, samples * 7 / 10 + 1);
    };
    for (int svid : svids) {
      double sign = random.nextBoolean() ? 1 : -1;
      float[] values = series[svid];
      switch (kind) {
        case DRIFT -> addRamp(values, start, sign * random.nextDouble(4, 10) * naturalSigma[svid]);
        case SPIKE -> addConstant(values, start, Math.min(samples, start + random.nextInt(1, 6)),
            sign * random.nextDouble(8, 20) * naturalSigma[svid]);
        default -> addConstant(values, start, samples, sign * random.nextDouble(3, 8) * naturalSigma[svid]);
      }
    }
    return new GroundTruth(kind, List.copyOf(svids), start);
  }

  private static void addRamp(float[] values, int from, double endOffset) {
    double span = Math.max(1, values.length - from);
    for (int i = from; i < values.length; i++) {
      values[i] += (float) (endOffset * (i - from + 1) / span);
    }
  }

  private static void addConstant(float[] values, int from, int to, double offset) {
    for (int i = from; i < to; i++) {
      values[i] += (float) offset;
    }
  }
}
