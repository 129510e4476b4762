package io.chamberlain.defense;

/**
 * One context's trace data: {@code svidCount} status-variable series, each {@code samples} long,
 * sampled at {@code hz} for {@code contextSeconds}. Values are float32 columns (one array per SVID),
 * the layout the indicators scan and {@link TraceCodec} stores.
 *
 * <p>The arrays are owned by the trace after construction; callers must not modify them.
 */
public final class Trace {

  private final double hz;
  private final double contextSeconds;
  private final float[][] series;
  private final int samples;

  public Trace(double hz, double contextSeconds, float[][] series) {
    if (!(hz > 0) || Double.isInfinite(hz)) {
      throw new IllegalArgumentException("trace hz must be > 0, was " + hz);
    }
    if (!(contextSeconds > 0) || Double.isInfinite(contextSeconds)) {
      throw new IllegalArgumentException("trace contextSeconds must be > 0, was " + contextSeconds);
    }
    if (series == null || series.length == 0) {
      throw new IllegalArgumentException("trace must have at least one SVID series");
    }
    int length = series[0] == null ? -1 : series[0].length;
    for (int svid = 0; svid < series.length; svid++) {
      if (series[svid] == null || series[svid].length != length || length == 0) {
        throw new IllegalArgumentException("trace SVID " + svid + " has "
            + (series[svid] == null ? "no series" : series[svid].length + " samples")
            + "; every SVID needs the same non-zero sample count (" + length + ")");
      }
    }
    this.hz = hz;
    this.contextSeconds = contextSeconds;
    this.series = series;
    this.samples = length;
  }

  public int svidCount() {
    return series.length;
  }

  public int samples() {
    return samples;
  }

  public double hz() {
    return hz;
  }

  public double contextSeconds() {
    return contextSeconds;
  }

  /** Data points in this trace, the real cost behind a chamber's weight. */
  public long points() {
    return (long) series.length * samples;
  }

  /** The series of one SVID (0-based); do not modify. */
  public float[] series(int svid) {
    return series[svid];
  }
}
