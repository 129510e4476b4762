package io.chamberlain.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every key of a node's schema with its final, type-checked value (YAML file, then environment,
 * then the default), plus where each value came from for the startup log.
 */
public final class ResolvedConfig {

  private final Map<String, Object> values;
  private final Map<String, String> sources;

  ResolvedConfig(Map<String, Object> values, Map<String, String> sources) {
    this.values = new TreeMap<>(values);
    this.sources = new TreeMap<>(sources);
  }

  public String string(String path) {
    return (String) require(path);
  }

  public int integer(String path) {
    return (Integer) require(path);
  }

  public double decimal(String path) {
    return (Double) require(path);
  }

  public boolean bool(String path) {
    return (Boolean) require(path);
  }

  @SuppressWarnings("unchecked")
  public List<String> strings(String path) {
    return (List<String>) require(path);
  }

  /** Where the value of {@code path} came from: {@code default}, the file's name, or {@code environment variable NAME}. */
  public String source(String path) {
    return sources.get(path);
  }

  public Map<String, Object> asMap() {
    return values;
  }

  /**
   * Builds the node's typed config with {@code factory}. A range error names its key first
   * ({@link Validation}); this adds where the refused value came from, so an operator knows
   * whether to fix the file, an environment variable or nothing they set at all.
   */
  public <T> T build(java.util.function.Function<ResolvedConfig, T> factory) {
    try {
      return factory.apply(this);
    } catch (ConfigException e) {
      String message = String.valueOf(e.getMessage());
      for (String path : values.keySet()) {
        if (message.startsWith(path + " ") && sources.containsKey(path)) {
          throw new ConfigException(message + " (" + origin(path) + ")");
        }
      }
      throw e;
    }
  }

  private String origin(String path) {
    String source = sources.get(path);
    return source.equals("default") ? "the default value" : "value from " + source;
  }

  private Object require(String path) {
    if (!values.containsKey(path)) {
      throw new IllegalArgumentException("no config key '" + path + "' in this node's schema");
    }
    return values.get(path);
  }
}
