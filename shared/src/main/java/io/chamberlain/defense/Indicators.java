package io.chamberlain.defense;

/**
 * Computes the per-SVID indicators of a trace in one pass over each float column. This scan is
 * the cost that grows with a chamber's weight (data points per context): O(points), no
 * allocation per sample, no sorting.
 *
 * <p>Numerics: sums run over {@code x − x₀} (the first sample) in double precision, so a level of
 * 1000 with noise of 0.1 keeps its variance; time is centred for the slope. The standard
 * deviation is the population one (divide by n); a single-sample series has std and slope 0.
 */
public final class Indicators {

  private Indicators() {
  }

  public static IndicatorValues of(Trace trace) {
    IndicatorValues out = new IndicatorValues(trace.svidCount());
    for (int svid = 0; svid < trace.svidCount(); svid++) {
      summarize(trace.series(svid), trace.hz(), svid, out);
    }
    return out;
  }

  static void summarize(float[] x, double hz, int svid, IndicatorValues out) {
    int n = x.length;
    double origin = x[0];
    double sum = 0;
    double sumSquares = 0;
    double sumIndexWeighted = 0;
    float min = x[0];
    float max = x[0];
    for (int i = 0; i < n; i++) {
      float value = x[i];
      double shifted = value - origin;
      sum += shifted;
      sumSquares += shifted * shifted;
      sumIndexWeighted += i * shifted;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    if (!Float.isFinite(min) || !Float.isFinite(max)) {
      throw new CorruptTraceException("SVID " + svid + " contains NaN or infinite samples");
    }
    double meanShifted = sum / n;
    double variance = Math.max(0, sumSquares / n - meanShifted * meanShifted);
    // Σ(i − ī)(x − x̄) = Σ i·x' − ī·Σx' ; Σ(i − ī)² = n(n² − 1)/12
    double meanIndex = (n - 1) / 2.0;
    double indexVariance = n * ((double) n * n - 1) / 12.0;
    double slopePerSample = n < 2 ? 0 : (sumIndexWeighted - meanIndex * sum) / indexVariance;
    out.set(svid, Indicator.MEAN, origin + meanShifted);
    out.set(svid, Indicator.STD, Math.sqrt(variance));
    out.set(svid, Indicator.MIN, min);
    out.set(svid, Indicator.MAX, max);
    out.set(svid, Indicator.RANGE, (double) max - min);
    out.set(svid, Indicator.SLOPE, slopePerSample * hz);
  }
}
