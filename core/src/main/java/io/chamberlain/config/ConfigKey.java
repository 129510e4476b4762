package io.chamberlain.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One configuration key: its dotted path in the YAML file, its type, default and meaning.
 * The environment variable that overrides it is derived from the path, so the two can never
 * drift apart: {@code nats.url} → {@code CHAMBERLAIN_NATS_URL},
 * {@code ingest.nakDelayMillis} → {@code CHAMBERLAIN_INGEST_NAK_DELAY_MILLIS}.
 *
 * @param defaultValue the default, or a {@code Supplier} for defaults that depend on the host
 * @param aliasEnv a second environment variable accepted for the key (e.g. {@code DEFENDER_ID}),
 *     or {@code null}
 */
public record ConfigKey(String path, Type type, Object defaultValue, String description, String aliasEnv) {

  /** Value types; lists are comma-separated in environment variables. */
  public enum Type { STRING, INT, DOUBLE, BOOLEAN, STRING_LIST }

  public static final String ENV_PREFIX = "CHAMBERLAIN_";

  public static ConfigKey of(String path, Type type, Object defaultValue, String description) {
    return new ConfigKey(path, type, defaultValue, description, null);
  }

  public ConfigKey withAliasEnv(String env) {
    return new ConfigKey(path, type, defaultValue, description, env);
  }

  public String envName() {
    StringBuilder env = new StringBuilder(ENV_PREFIX);
    for (String segment : path.split("\\.")) {
      if (env.length() > ENV_PREFIX.length()) {
        env.append('_');
      }
      env.append(segment.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
    }
    return env.toString();
  }

  /** Every environment variable that sets this key, strongest first. */
  public List<String> envNames() {
    List<String> names = new ArrayList<>(List.of(envName()));
    if (aliasEnv != null) {
      names.add(aliasEnv);
    }
    return names;
  }
}
