package io.chamberlain.defense;

/** The per-SVID summary statistics a context is judged by. {@code id()} is the wire name. */
public enum Indicator {
  MEAN("mean"),
  STD("std"),
  MIN("min"),
  MAX("max"),
  RANGE("range"),
  /** Least-squares slope, in units per second. */
  SLOPE("slope");

  public static final int COUNT = values().length;
  private static final Indicator[] ALL = values();
  private final String id;

  Indicator(String id) {
    this.id = id;
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
