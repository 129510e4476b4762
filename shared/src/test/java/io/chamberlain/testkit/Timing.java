package io.chamberlain.testkit;

import java.time.Duration;

/**
 * One factor that stretches every test timeout on slow machines: system property
 * {@code chamberlain.test.timeoutFactor} or env {@code CHAMBERLAIN_TEST_TIMEOUT_FACTOR} (default 1;
 * CI sets nothing, a loaded laptop may use 3).
 */
public final class Timing {

  public static final double FACTOR = factor();

  private Timing() {
  }

  public static Duration scaled(Duration base) {
    return Duration.ofMillis((long) (base.toMillis() * FACTOR));
  }

  public static Duration seconds(long seconds) {
    return scaled(Duration.ofSeconds(seconds));
  }

  private static double factor() {
    String value = System.getProperty("chamberlain.test.timeoutFactor");
    if (value == null || value.isBlank()) {
      value = System.getenv("CHAMBERLAIN_TEST_TIMEOUT_FACTOR");
    }
    try {
      return value == null || value.isBlank() ? 1.0 : Math.max(1.0, Double.parseDouble(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("chamberlain.test.timeoutFactor must be a number, was '" + value + "'");
    }
  }
}
