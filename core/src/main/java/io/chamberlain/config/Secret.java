package io.chamberlain.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A password or token from the configuration. Its {@link #toString} never shows the value, so a
 * settings record that holds one can be logged or put in an exception message without leaking it;
 * only the adapter that hands it to a client library calls {@link #reveal}.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** An inline value (from the YAML file or an environment variable). */
  public static Secret of(String value) {
    return new Secret(value);
  }

  /**
   * The content of {@code file}, without the trailing line break editors and {@code kubectl create secret
   * --from-file} leave. Errors name {@code key} and the path, never the content.
   */
  public static Secret fromFile(String key, Path file) {
    PathChecks.readableFile(key, file);
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ConfigException(key + " '" + file + "' could not be read: " + e.getClass().getSimpleName());
    }
    if (content.isEmpty()) {
      throw new ConfigException(key + " '" + file + "' is empty");
    }
    return new Secret(content);
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "(secret)";
  }
}
