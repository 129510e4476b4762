package io.chamberlain.config;

/** A configuration value was missing, malformed or out of range; the message names the key and why. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
