package io.chamberlain.config;

/** Range checks shared by the typed config records; each error names the key and the value. */
final class Validation {

  private Validation() {
  }

  static void port(String key, int port) {
    if (port < 1 || port > 65_535) {
      throw new ConfigException(key + " must be a port between 1 and 65535, was " + port);
    }
  }

  static void positive(String key, long value) {
    if (value <= 0) {
      throw new ConfigException(key + " must be > 0, was " + value);
    }
  }

  static void atLeast(String key, long value, long min) {
    if (value < min) {
      throw new ConfigException(key + " must be ≥ " + min + ", was " + value);
    }
  }

  static void notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key + " must not be empty");
    }
  }
}
