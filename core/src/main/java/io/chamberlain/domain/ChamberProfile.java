package io.chamberlain.domain;

/**
 * What a chamber produces per context: {@code svidCount} status variables sampled at {@code hz}
 * for {@code contextSeconds}. Its weight is the number of data points per context, which is
 * what the defense process costs.
 */
public record ChamberProfile(ChamberKey chamber, int svidCount, double hz, double contextSeconds) {

  /** Used for chambers discovered by their first event, until someone registers a real profile. */
  public static final int DEFAULT_SVID_COUNT = 100;
  public static final double DEFAULT_HZ = 1.0;
  public static final double DEFAULT_CONTEXT_SECONDS = 300.0;

  public ChamberProfile {
    if (chamber == null) {
      throw new IllegalArgumentException("chamber profile has no chamber");
    }
    if (svidCount < 1) {
      throw new IllegalArgumentException(
          "chamber " + chamber + ": svidCount must be ≥ 1, was " + svidCount);
    }
    if (!(hz > 0) || Double.isInfinite(hz)) {
      throw new IllegalArgumentException("chamber " + chamber + ": hz must be > 0, was " + hz);
    }
    if (!(contextSeconds > 0) || Double.isInfinite(contextSeconds)) {
      throw new IllegalArgumentException(
          "chamber " + chamber + ": contextSeconds must be > 0, was " + contextSeconds);
    }
  }

  public static ChamberProfile defaultFor(ChamberKey chamber) {
    return new ChamberProfile(chamber, DEFAULT_SVID_COUNT, DEFAULT_HZ, DEFAULT_CONTEXT_SECONDS);
  }

  /** Data points per context: {@code svidCount × hz × contextSeconds}. */
  public double weight() {
    return svidCount * hz * contextSeconds;
  }
}
