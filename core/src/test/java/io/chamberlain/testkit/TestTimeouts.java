package io.chamberlain.testkit;

import java.time.Duration;

/**
 * The one factor that stretches every wait and time bound of the shared and worker tests on slow
 * or loaded machines: system property {@code chamberlain.test.timeoutFactor} (set by surefire from
 * the Maven property of the same name), else env {@code CHAMBERLAIN_TEST_TIMEOUT_FACTOR}; default
 * 1, never below 1. Same property, env and semantics as the system tests' live {@code Timeouts},
 * so one setting stretches every layer.
 */
public final class TestTimeouts {

  public static final String PROPERTY = "chamberlain.test.timeoutFactor";
  public static final String ENV = "CHAMBERLAIN_TEST_TIMEOUT_FACTOR";
  public static final double FACTOR = factor(System.getProperty(PROPERTY), System.getenv(ENV));

  private TestTimeouts() {
  }

  /** {@code base} stretched by the factor. */
  public static Duration scaled(Duration base) {
    return Duration.ofMillis((long) Math.ceil(base.toMillis() * FACTOR));
  }

  public static Duration millis(long millis) {
    return scaled(Duration.ofMillis(millis));
  }

  public static Duration seconds(long seconds) {
    return scaled(Duration.ofSeconds(seconds));
  }

  /** The property wins over the env; blank means unset; anything below 1 counts as 1. */
  static double factor(String property, String env) {
    String value = property == null || property.isBlank() ? env : property;
    if (value == null || value.isBlank()) {
      return 1.0;
    }
    try {
      return Math.max(1.0, Double.parseDouble(value.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PROPERTY + " / " + ENV + " must be a number, was '" + value + "'", e);
    }
  }
}
