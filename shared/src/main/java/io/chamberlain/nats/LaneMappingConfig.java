package io.chamberlain.nats;

import io.chamberlain.wire.Subjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The nats-server configuration that splits the completions into {@code ingest.lanes} lanes: an
 * account subject mapping ({@link Subjects#laneMapping}) from {@code dc.*.*.completed} to
 * {@code dc.*.*.completed.<lane>}, the lane nats-server's {@code partition} hash of tool and chamber.
 * Publishers keep publishing to the plain subject. nats-server 2.8 and later; it goes in the
 * server's configuration file (with 2.10 a stream subject transform could do it without one).
 */
public final class LaneMappingConfig {

  private LaneMappingConfig() {
  }

  /** The {@code mappings} block for {@code lanes} lanes. */
  public static String render(int lanes) {
    Map.Entry<String, String> mapping = Subjects.laneMapping(lanes);
    return "# Chamberlain: split completions into " + lanes + " ingestion lanes (gateway ingest.lanes = " + lanes + ")\n"
        + "mappings = {\n  \"" + mapping.getKey() + "\": \"" + mapping.getValue() + "\"\n}\n";
  }

  /** Writes {@link #render} to {@code file}, to be passed to nats-server with {@code -c}. */
  public static Path write(Path file, int lanes) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, render(lanes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the lane mapping to " + file, e);
    }
  }
}
