package io.chamberlain.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a node's YAML file and resolves it against the node's schema and the environment. Runs once,
 * before the node starts (its cluster settings are in the config): a plain parse, no framework. Only
 * YAML's standard types are built (maps, lists, strings, numbers, booleans), never classes a file names.
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  /** @param file the YAML file, or {@code null} for defaults + environment only */
  public static ResolvedConfig load(Path file, List<ConfigKey> schema, Map<String, String> env) {
    if (file == null) {
      return ConfigResolver.resolve(schema, Map.of(), "(no config file)", env);
    }
    return ConfigResolver.resolve(schema, readYaml(file), file.toString(), env);
  }

  /**
   * A YAML file's tree as plain maps and lists: an empty file is an empty map.
   *
   * @throws ConfigException naming the file if it is missing, unreadable, not YAML or not a mapping
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readYaml(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file " + file + " does not exist or is not a file");
    }
    Object tree;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (YAMLException e) {
      throw new ConfigException("config file " + file + " is not valid YAML: " + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " could not be read: " + e);
    }
    if (tree == null) {
      return Map.of();
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw new ConfigException("config file " + file + " must hold a YAML mapping of keys, not a "
          + tree.getClass().getSimpleName());
    }
    return (Map<String, Object>) map;
  }
}
