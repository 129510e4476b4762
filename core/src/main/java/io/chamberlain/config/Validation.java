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

  static void atMost(String key, long value, long max) {
    if (value > max) {
      throw new ConfigException(key + " must be ≤ " + max + ", was " + value);
    }
  }

  static void notAbove(String key, long value, String otherKey, long other) {
    if (value > other) {
      throw new ConfigException(key + " (" + value + ") must not exceed " + otherKey + " (" + other + ")");
    }
  }

  /** {@code value} in (0, 1) when {@code open}, else in [0, 1]. */
  static void fraction(String key, double value, boolean open) {
    boolean inside = open ? value > 0 && value < 1 : value >= 0 && value <= 1;
    if (!inside) {
      throw new ConfigException(key + " must be in " + (open ? "(0, 1)" : "[0, 1]") + ", was " + value);
    }
  }

  /** JetStream keeps a stream's copies on a Raft group of at most five servers. */
  static final int MAX_NATS_REPLICAS = 5;

  static void natsReplicas(int replicas) {
    if (replicas < 1 || replicas > MAX_NATS_REPLICAS) {
      throw new ConfigException("nats.replicas must be between 1 and " + MAX_NATS_REPLICAS
          + " (3 on a 3-server NATS cluster, 1 on a single server), was " + replicas);
    }
  }

  static void notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key + " must not be empty");
    }
  }
}
