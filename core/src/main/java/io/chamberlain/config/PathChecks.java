package io.chamberlain.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of file paths named by config keys; each error names the key and the path. */
final class PathChecks {

  private PathChecks() {
  }

  static void readableFile(String key, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(key + " '" + file + "' does not exist or is not a file");
    }
    if (!Files.isReadable(file)) {
      throw new ConfigException(key + " '" + file + "' is not readable by this process");
    }
  }

  /** The path of an optional file key: {@code null} when blank, else checked. */
  static Path optionalFile(String key, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Path file = Path.of(value.strip());
    readableFile(key, file);
    return file;
  }
}
