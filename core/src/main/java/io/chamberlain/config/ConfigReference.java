package io.chamberlain.config;

import java.util.List;
import java.util.function.Supplier;

/**
 * Renders a node's schema as a fully commented reference YAML file (every key, its default, its
 * meaning and its environment variable). {@code config/gateway.yaml} and {@code config/worker.yaml}
 * are this output; a test keeps them identical, so they cannot drift from the code.
 *
 * <p>Regenerate: {@code java -cp shared/target/classes io.chamberlain.config.ConfigReference gateway > config/gateway.yaml}
 */
public final class ConfigReference {

  private ConfigReference() {
  }

  public static void main(String[] args) {
    String what = args.length == 1 ? args[0] : "";
    switch (what) {
      case "gateway" -> System.out.print(render("gateway", ConfigSchema.GATEWAY));
      case "worker" -> System.out.print(render("worker", ConfigSchema.WORKER));
      case "markdown" -> System.out.print(markdownTable());
      default -> {
        System.err.println("usage: ConfigReference gateway|worker|markdown");
        System.exit(2);
      }
    }
  }

  /** The README's table: every key of every node, its env variable, default and meaning. */
  public static String markdownTable() {
    java.util.Map<String, String> nodes = new java.util.LinkedHashMap<>();
    java.util.Map<String, ConfigKey> keys = new java.util.LinkedHashMap<>();
    for (ConfigKey key : ConfigSchema.GATEWAY) {
      keys.put(key.path(), key);
      nodes.put(key.path(), "gateway");
    }
    for (ConfigKey key : ConfigSchema.WORKER) {
      ConfigKey gateways = keys.get(key.path());
      if (gateways == null) {
        keys.put(key.path(), key);
        nodes.put(key.path(), "worker");
      } else if (gateways.equals(key)) {
        nodes.put(key.path(), "both");
      } else { // same key, another default or meaning on a worker: a row of its own
        keys.put(key.path() + " (worker)", key);
        nodes.put(key.path() + " (worker)", "worker");
      }
    }
    StringBuilder table = new StringBuilder("| key | environment variable | node | default | meaning |\n|---|---|---|---|---|\n");
    keys.forEach((row, key) -> table.append("| `").append(key.path()).append("` | ")
        .append(key.envNames().stream().map(env -> "`" + env + "`").collect(java.util.stream.Collectors.joining(", ")))
        .append(" | ").append(nodes.get(row)).append(" | ")
        .append(key.defaultValue() instanceof Supplier<?> ? "host name" : "`" + render(key.defaultValue()).replace("\"", "") + "`")
        .append(" | ").append(key.description()).append(" |\n"));
    return table.toString();
  }

  public static String render(String node, List<ConfigKey> schema) {
    StringBuilder yaml = new StringBuilder()
        .append("# Chamberlain ").append(node).append(" configuration: every key with its default.\n")
        .append("# Use: bin/chamberlain ").append(node).append(" --config config/").append(node).append(".yaml\n")
        .append("# Each key can be overridden by the environment variable shown (CHAMBERLAIN_<KEY_PATH>);\n")
        .append("# lists are comma-separated there. A bad value stops startup naming the key and the reason.\n");
    String[] previous = new String[0];
    for (ConfigKey key : schema) {
      String[] path = key.path().split("\\.");
      int common = 0;
      while (common < previous.length - 1 && common < path.length - 1 && previous[common].equals(path[common])) {
        common++;
      }
      if (common == 0) {
        yaml.append('\n');
      }
      for (int depth = common; depth < path.length - 1; depth++) {
        yaml.append("  ".repeat(depth)).append(path[depth]).append(":\n");
      }
      String indent = "  ".repeat(path.length - 1);
      yaml.append(indent).append("# ").append(key.description()).append(" [").append(String.join(", ", key.envNames())).append("]\n");
      String leaf = path[path.length - 1];
      if (key.defaultValue() instanceof Supplier<?>) {
        yaml.append(indent).append("# ").append(leaf).append(": (computed at startup; see above)\n");
      } else {
        yaml.append(indent).append(leaf).append(": ").append(render(key.defaultValue())).append('\n');
      }
      previous = path;
    }
    return yaml.toString();
  }

  private static String render(Object value) {
    if (value instanceof List<?> list) {
      StringBuilder out = new StringBuilder("[");
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ", ").append('"').append(list.get(i)).append('"');
      }
      return out.append(']').toString();
    }
    if (value instanceof String text) {
      return '"' + text + '"';
    }
    return String.valueOf(value);
  }
}
