package io.chamberlain.defense;

/**
 * Computes the per-SVID indicators of a trace in one pass over each float column — for the whole
 * context and, optionally, for each recipe step (the step sums add up to the whole). This scan is
 * the cost that grows with a chamber's weight (data points per context): O(points), no
 * allocation per sample, no sorting.
 *
 * <p>Numerics: sums run over {@code x − x₀} (the SVID's first sample) in double precision, so a
 * level of 1000 with noise of 0.1 keeps its variance; the slope uses the window's centred sample
 * index. The standard deviation is the population one (divide by n); a single-sample window has
 * std and slope 0.
 */
public final class Indicators {

  private Indicators() {
  }

  /** Whole-context indicators only. */
  public static IndicatorValues of(Trace trace) {
    return of(trace, false);
  }

  /** @param perStep also one window per recipe step, if the trace has more than one step */
  public static IndicatorValues of(Trace trace, boolean perStep) {
    int steps = perStep && trace.stepCount() > 1 ? trace.stepCount() : 0;
    IndicatorValues out = new IndicatorValues(trace.svidCount(), 1 + steps);
    Sums whole = new Sums();
    Sums step = new Sums();
    for (int svid = 0; svid < trace.svidCount(); svid++) {
      float[] x = trace.series(svid);
      whole.reset();
      for (int s = 0; s < trace.stepCount(); s++) {
        step.reset();
        step.scan(x, trace.stepStart(s), trace.stepStart(s + 1));
        whole.add(step);
        if (steps > 0) {
          step.write(out, svid, s + 1, x[0], trace.hz());
        }
      }
      whole.write(out, svid, 0, x[0], trace.hz());
    }
    return out;
  }

  /** Accumulators of one window; {@code from} is its first sample index. */
  private static final class Sums {
    int from;
    int n;
    double sum;
    double sumSquares;
    double sumIndexWeighted;
    float min;
    float max;

    void reset() {
      n = 0;
      sum = 0;
      sumSquares = 0;
      sumIndexWeighted = 0;
      min = Float.POSITIVE_INFINITY;
      max = Float.NEGATIVE_INFINITY;
    }

    void scan(float[] x, int from, int to) {
      this.from = from;
      double origin = x[0];
      for (int i = from; i < to; i++) {
        float value = x[i];
        double shifted = value - origin;
        sum += shifted;
        sumSquares += shifted * shifted;
        sumIndexWeighted += i * shifted;
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
      n = to - from;
    }

    void add(Sums other) {
      from = n == 0 ? other.from : Math.min(from, other.from);
      n += other.n;
      sum += other.sum;
      sumSquares += other.sumSquares;
      sumIndexWeighted += other.sumIndexWeighted;
      min = Math.min(min, other.min);
      max = Math.max(max, other.max);
    }

    void write(IndicatorValues out, int svid, int window, double origin, double hz) {
      if (Float.isNaN(min) || Float.isNaN(max) || Float.isInfinite(min) || Float.isInfinite(max)) {
        throw new CorruptTraceException("SVID " + svid + " contains NaN or infinite samples");
      }
      double meanShifted = sum / n;
      double variance = Math.max(0, sumSquares / n - meanShifted * meanShifted);
      // Σ(i − ī)(x − x̄) = Σ i·x' − ī·Σx' ; Σ(i − ī)² = n(n² − 1)/12
      double meanIndex = from + (n - 1) / 2.0;
      double indexVariance = n * ((double) n * n - 1) / 12.0;
      double slopePerSample = n < 2 ? 0 : (sumIndexWeighted - meanIndex * sum) / indexVariance;
      out.set(svid, window, Indicator.MEAN, origin + meanShifted);
      out.set(svid, window, Indicator.STD, Math.sqrt(variance));
      out.set(svid, window, Indicator.MIN, min);
      out.set(svid, window, Indicator.MAX, max);
      out.set(svid, window, Indicator.RANGE, (double) max - min);
      out.set(svid, window, Indicator.SLOPE, slopePerSample * hz);
    }
  }
}
