package io.chamberlain.defense;

/**
 * Upper-tail quantiles, to place control limits for a wanted tail probability: the standard
 * normal (P. J. Acklam's rational approximation, relative error below 1.2e-9) and Student's t
 * (Cornish–Fisher expansion around the normal one, Abramowitz & Stegun 26.7.5), which accounts
 * for limits estimated from only a few dozen contexts.
 */
final class Quantiles {

  private static final double[] A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  private static final double[] B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01};
  private static final double[] C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  private static final double[] D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
      3.754408661907416e+00};
  private static final double LOW = 0.02425;

  private Quantiles() {
  }

  /** The z with {@code P(Z > z) = tail}, for tail in (0, 0.5]. */
  static double normalUpper(double tail) {
    if (!(tail > 0 && tail <= 0.5)) {
      throw new IllegalArgumentException("tail probability must be in (0, 0.5], was " + tail);
    }
    return -lower(tail);
  }

  /** The t with {@code P(T > t) = tail} for {@code degreesOfFreedom} (≥ 1), tail in (0, 0.5]. */
  static double studentUpper(double tail, double degreesOfFreedom) {
    if (!(degreesOfFreedom >= 1)) {
      throw new IllegalArgumentException("degrees of freedom must be ≥ 1, was " + degreesOfFreedom);
    }
    double z = normalUpper(tail);
    double z2 = z * z;
    double g1 = (z2 + 1) * z / 4;
    double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
    double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
    double v = degreesOfFreedom;
    return z + g1 / v + g2 / (v * v) + g3 / (v * v * v);
  }

  /** The z with {@code P(Z < z) = p}, for p in (0, 0.5]. */
  private static double lower(double p) {
    if (p < LOW) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
          / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
        / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
}
