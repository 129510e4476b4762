package io.chamberlain.defense;

/**
 * The per-SVID summary statistics a context is judged by. {@code id()} is the wire name.
 *
 * <p>Dispersion indicators (std, range) are charted on a log scale: their distribution over
 * contexts is skewed to the right (like a chi distribution with few degrees of freedom), so
 * symmetric limits on the raw value alarm far too often on clean wafers, while the log is close
 * to normal (as in the classic ln S² chart). Limits are reported back in raw units.
 */
public enum Indicator {
  MEAN("mean", false),
  STD("std", true),
  MIN("min", false),
  MAX("max", false),
  RANGE("range", true),
  /** Least-squares slope, in units per second. */
  SLOPE("slope", false);

  /** Dispersion values below this are charted as this (log of 0 is not a number). */
  private static final double LOG_FLOOR = 1e-12;

  public static final int COUNT = values().length;
  private static final Indicator[] ALL = values();
  private final String id;
  private final boolean logScale;

  Indicator(String id, boolean logScale) {
    this.id = id;
    this.logScale = logScale;
  }

  /** The value the control chart works with. */
  public double charted(double value) {
    return logScale ? Math.log(Math.max(value, LOG_FLOOR)) : value;
  }

  /** The raw value at a charted position (for reporting limits). */
  public double raw(double charted) {
    return logScale ? Math.exp(charted) : charted;
  }

  public String id() {
    return id;
  }

  public static Indicator byOrdinal(int ordinal) {
    return ALL[ordinal];
  }

  public static Indicator byId(String id) {
    for (Indicator indicator : ALL) {
      if (indicator.id.equals(id)) {
        return indicator;
      }
    }
    throw new IllegalArgumentException("unknown indicator '" + id + "' (known: mean, std, min, max, range, slope)");
  }
}
