package io.chamberlain.worker.defense;

import io.vertx.core.json.JsonObject;

/**
 * Creates defense processes of one kind; discovered with {@link java.util.ServiceLoader}
 * (list implementations in {@code META-INF/services/io.chamberlain.worker.defense.DefenseProcessProvider}).
 * Config selects a provider by {@link #name()} and passes it its {@code options} object.
 */
public interface DefenseProcessProvider {

  /** Unique, lower-case, used in config: {@code process: builtin}. */
  String name();

  /** @throws IllegalArgumentException naming the option that is missing or invalid */
  DefenseProcess create(JsonObject options);
}
