package io.chamberlain.defense;

/**
 * One context's trace data: {@code svidCount} status-variable series, each {@code samples} long,
 * sampled at {@code hz} for {@code contextSeconds}. Values are float32 columns (one array per SVID),
 * the layout the indicators scan and {@link TraceCodec} stores. Optionally the recipe's step
 * boundaries (first sample of each step), for per-step indicator windows; a trace without them is
 * one step starting at sample 0.
 *
 * <p>The arrays are owned by the trace after construction; callers must not modify them.
 */
public final class Trace {

  private final double hz;
  private final double contextSeconds;
  private final float[][] series;
  private final int samples;
  private final int[] stepStarts;

  /** What a defense process that reads no trace is handed instead of one: one SVID, one sample. */
  public static final Trace NONE = new Trace(1, 1, new float[][] {{0f}});

  public Trace(double hz, double contextSeconds, float[][] series) {
    this(hz, contextSeconds, series, new int[] {0});
  }

  /** @param stepStarts first sample of each recipe step: starts at 0, strictly increasing, below the sample count */
  public Trace(double hz, double contextSeconds, float[][] series, int[] stepStarts) {
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
    if (stepStarts == null || stepStarts.length == 0 || stepStarts[0] != 0) {
      throw new IllegalArgumentException("trace steps must start at sample 0, were " + java.util.Arrays.toString(stepStarts));
    }
    for (int step = 1; step < stepStarts.length; step++) {
      if (stepStarts[step] <= stepStarts[step - 1] || stepStarts[step] >= length) {
        throw new IllegalArgumentException("trace step " + step + " starts at sample " + stepStarts[step]
            + "; steps must be strictly increasing and below the sample count " + length);
      }
    }
    this.hz = hz;
    this.contextSeconds = contextSeconds;
    this.series = series;
    this.samples = length;
    this.stepStarts = stepStarts.clone();
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

  public int stepCount() {
    return stepStarts.length;
  }

  /** First sample of each recipe step (a fresh array; {@code {0}} without step information). */
  public int[] stepStarts() {
    return stepStarts.clone();
  }

  /** First sample of {@code step}; {@code stepStart(stepCount())} is the sample count. */
  public int stepStart(int step) {
    return step == stepStarts.length ? samples : stepStarts[step];
  }

  /** The series of one SVID (0-based); do not modify. */
  public float[] series(int svid) {
    return series[svid];
  }
}
