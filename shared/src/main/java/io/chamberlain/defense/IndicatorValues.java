package io.chamberlain.defense;

import java.util.Arrays;

/**
 * Indicator values of one context: {@code svidCount × Indicator.COUNT}, addressed by
 * (svid, indicator) or by series index {@code svid × Indicator.COUNT + indicator.ordinal()} —
 * the same index the control limits and history use.
 */
public final class IndicatorValues {

  private final int svidCount;
  private final double[] values;

  public IndicatorValues(int svidCount) {
    if (svidCount < 1) {
      throw new IllegalArgumentException("svidCount must be ≥ 1, was " + svidCount);
    }
    this.svidCount = svidCount;
    this.values = new double[svidCount * Indicator.COUNT];
  }

  public static int seriesIndex(int svid, Indicator indicator) {
    return svid * Indicator.COUNT + indicator.ordinal();
  }

  public int svidCount() {
    return svidCount;
  }

  public int seriesCount() {
    return values.length;
  }

  public double get(int svid, Indicator indicator) {
    return values[seriesIndex(svid, indicator)];
  }

  public double bySeries(int series) {
    return values[series];
  }

  public void set(int svid, Indicator indicator, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("SVID " + svid + " " + indicator.id() + " is " + value + ", must be finite");
    }
    values[seriesIndex(svid, indicator)] = value;
  }

  /** The values of one indicator over all SVIDs, in SVID order (a fresh array). */
  public double[] column(Indicator indicator) {
    double[] column = new double[svidCount];
    for (int svid = 0; svid < svidCount; svid++) {
      column[svid] = get(svid, indicator);
    }
    return column;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IndicatorValues that && Arrays.equals(values, that.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }
}
