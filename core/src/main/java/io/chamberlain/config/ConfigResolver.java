package io.chamberlain.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves a node's configuration from a parsed YAML tree and the environment, against the node's
 * schema. Pure: no I/O, so every rule is unit-tested. An unknown key in the file, a value of the
 * wrong type, or an unparseable environment variable stops startup with a message that names the
 * key, where the value came from, and what was expected.
 */
public final class ConfigResolver {

  private ConfigResolver() {
  }

  /**
   * @param fileTree the YAML file as nested maps (empty if there is no file)
   * @param fileName shown in errors
   */
  public static ResolvedConfig resolve(
      List<ConfigKey> schema, Map<String, Object> fileTree, String fileName, Map<String, String> env) {
    Map<String, ConfigKey> byPath = new LinkedHashMap<>();
    schema.forEach(key -> byPath.put(key.path(), key));
    Map<String, Object> fileValues = new LinkedHashMap<>();
    flatten("", fileTree, fileValues, byPath, fileName);

    Map<String, Object> values = new HashMap<>();
    Map<String, String> sources = new HashMap<>();
    for (ConfigKey key : schema) {
      Object value = key.defaultValue() instanceof java.util.function.Supplier<?> computed
          ? computed.get() : key.defaultValue();
      String source = "default";
      if (fileValues.containsKey(key.path())) {
        value = coerce(key, fileValues.get(key.path()), fileName);
        source = fileName;
      }
      for (String envName : reversed(key.envNames())) {
        String raw = env.get(envName);
        if (raw != null) {
          source = "environment variable " + envName;
          value = coerce(key, raw, source);
        }
      }
      if (value == null) {
        throw new ConfigException(key.path() + " is required (set it in " + fileName
            + " or with " + key.envName() + "): " + key.description());
      }
      values.put(key.path(), value);
      sources.put(key.path(), source);
    }
    return new ResolvedConfig(values, sources);
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> tree, Map<String, Object> out,
      Map<String, ConfigKey> schema, String fileName) {
    for (Map.Entry<String, Object> entry : tree.entrySet()) {
      String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
      if (schema.containsKey(path)) {
        out.put(path, entry.getValue());
      } else if (entry.getValue() instanceof Map<?, ?> child && isPrefixOfAKey(path, schema)) {
        flatten(path, (Map<String, Object>) child, out, schema, fileName);
      } else {
        throw new ConfigException(fileName + ": unknown key '" + path + "' (known keys: "
            + knownUnder(prefix, schema) + ")");
      }
    }
  }

  private static boolean isPrefixOfAKey(String path, Map<String, ConfigKey> schema) {
    return schema.keySet().stream().anyMatch(known -> known.startsWith(path + "."));
  }

  private static Set<String> knownUnder(String prefix, Map<String, ConfigKey> schema) {
    Set<String> known = new TreeSet<>();
    for (String path : schema.keySet()) {
      if (prefix.isEmpty() || path.startsWith(prefix + ".")) {
        known.add(path);
      }
    }
    return known;
  }

  static Object coerce(ConfigKey key, Object raw, String origin) {
    if (raw == null) {
      return null;
    }
    String text = raw.toString().trim();
    boolean nested = raw instanceof Map<?, ?> || raw instanceof List<?> && key.type() != ConfigKey.Type.STRING_LIST
        || raw instanceof List<?> list && list.stream().anyMatch(item -> item instanceof Map<?, ?> || item instanceof List<?>);
    if (nested) { // a YAML mapping or list where one value belongs: its toString() is no value
      throw new ConfigException(key.path() + " from " + origin + " must be " + describe(key.type()) + ", was a YAML "
          + (raw instanceof Map<?, ?> ? "mapping" : "list") + " (" + text + ")");
    }
    try {
      return switch (key.type()) {
        case STRING -> text;
        case INT -> raw instanceof Integer i ? i : Integer.valueOf(text);
        case DOUBLE -> raw instanceof Number n ? n.doubleValue() : Double.valueOf(text);
        case BOOLEAN -> parseBoolean(raw, text);
        case STRING_LIST -> parseList(raw, text);
      };
    } catch (NumberFormatException e) {
      throw new ConfigException(key.path() + " from " + origin + " must be "
          + describe(key.type()) + ", was '" + text + "'");
    }
  }

  private static Boolean parseBoolean(Object raw, String text) {
    if (raw instanceof Boolean b) {
      return b;
    }
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new NumberFormatException(text);
    };
  }

  private static List<String> parseList(Object raw, String text) {
    List<String> items = new ArrayList<>();
    if (raw instanceof List<?> list) {
      list.forEach(item -> items.add(String.valueOf(item).trim()));
    } else {
      for (String item : text.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
    }
    return List.copyOf(items);
  }

  private static String describe(ConfigKey.Type type) {
    return switch (type) {
      case STRING -> "text";
      case INT -> "an integer";
      case DOUBLE -> "a number";
      case BOOLEAN -> "true or false";
      case STRING_LIST -> "a list";
    };
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }
}
