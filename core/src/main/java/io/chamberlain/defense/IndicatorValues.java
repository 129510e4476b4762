package io.chamberlain.defense;

import java.util.Arrays;

/**
 * Indicator values of one context, per SVID, window and {@link Indicator}. Window 0 is the whole
 * context; with per-step windows, window {@code k ≥ 1} is recipe step {@code k} (1-based).
 * Each (svid, window, indicator) is one control chart with the series index
 * {@code (svid × windows + window) × Indicator.COUNT + indicator.ordinal()} — the same index the
 * control limits and history use.
 */
public final class IndicatorValues {

  private final int svidCount;
  private final int windows;
  private final double[] values;

  public IndicatorValues(int svidCount) {
    this(svidCount, 1);
  }

  public IndicatorValues(int svidCount, int windows) {
    if (svidCount < 1 || windows < 1) {
      throw new IllegalArgumentException("svidCount and windows must be ≥ 1, were " + svidCount + " and " + windows);
    }
    this.svidCount = svidCount;
    this.windows = windows;
    this.values = new double[Math.multiplyExact(svidCount * windows, Indicator.COUNT)];
  }

  /** The same shape, for derived values (e.g. charted). */
  public IndicatorValues emptyLike() {
    return new IndicatorValues(svidCount, windows);
  }

  public int series(int svid, int window, Indicator indicator) {
    return (svid * windows + window) * Indicator.COUNT + indicator.ordinal();
  }

  public int svidOf(int series) {
    return series / Indicator.COUNT / windows;
  }

  public int windowOf(int series) {
    return series / Indicator.COUNT % windows;
  }

  public static Indicator indicatorOf(int series) {
    return Indicator.byOrdinal(series % Indicator.COUNT);
  }

  public int svidCount() {
    return svidCount;
  }

  /** 1 without per-step windows, else 1 + the number of recipe steps. */
  public int windows() {
    return windows;
  }

  public int seriesCount() {
    return values.length;
  }

  /** Whole-context value. */
  public double get(int svid, Indicator indicator) {
    return get(svid, 0, indicator);
  }

  public double get(int svid, int window, Indicator indicator) {
    return values[series(svid, window, indicator)];
  }

  public double bySeries(int series) {
    return values[series];
  }

  public void set(int svid, int window, Indicator indicator, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("SVID " + svid + " window " + window + " " + indicator.id() + " is " + value
          + ", must be finite");
    }
    values[series(svid, window, indicator)] = value;
  }

  public void set(int svid, Indicator indicator, double value) {
    set(svid, 0, indicator, value);
  }

  /** The whole-context values of one indicator over all SVIDs, in SVID order (a fresh array). */
  public double[] column(Indicator indicator) {
    double[] column = new double[svidCount];
    for (int svid = 0; svid < svidCount; svid++) {
      column[svid] = get(svid, indicator);
    }
    return column;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IndicatorValues that && windows == that.windows && Arrays.equals(values, that.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }
}
