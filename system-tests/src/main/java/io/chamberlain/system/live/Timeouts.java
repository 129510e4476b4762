package io.chamberlain.system.live;

import java.time.Duration;

/**
 * One factor that stretches every wait of the live harness on slow or loaded machines: system
 * property {@code chamberlain.test.timeoutFactor} or env {@code CHAMBERLAIN_TEST_TIMEOUT_FACTOR}
 * (default 1, never below 1). The one timeout factor of every test; main code, so the live harness can use it too.
 */
public final class Timeouts {

  public static final double FACTOR = factor();

  private Timeouts() {
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
