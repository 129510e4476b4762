package io.chamberlain.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads a node's YAML file with Vert.x Config and resolves it against the node's schema and the
 * environment. Runs once, before the clustered Vert.x exists (its settings are in the config), on
 * a short-lived local Vert.x instance.
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  /** @param file the YAML file, or {@code null} for defaults + environment only */
  public static ResolvedConfig load(Path file, List<ConfigKey> schema, Map<String, String> env) {
    if (file == null) {
      return ConfigResolver.resolve(schema, Map.of(), "(no config file)", env);
    }
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file " + file + " does not exist or is not a file");
    }
    return ConfigResolver.resolve(schema, plainTree(readYaml(file)), file.toString(), env);
  }

  /** The YAML tree as plain maps and lists (the pure resolvers know no Vert.x JSON types). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> plainTree(JsonObject json) {
    return (Map<String, Object>) plain(json);
  }

  private static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new java.util.LinkedHashMap<>();
      object.forEach(entry -> map.put(entry.getKey(), plain(entry.getValue())));
      return map;
    }
    if (value instanceof io.vertx.core.json.JsonArray array) {
      List<Object> list = new java.util.ArrayList<>();
      array.forEach(item -> list.add(plain(item)));
      return list;
    }
    return value;
  }

  private static JsonObject readYaml(Path file) {
    Vertx vertx = Vertx.vertx();
    try {
      ConfigStoreOptions yaml = new ConfigStoreOptions().setType("file").setFormat("yaml")
          .setConfig(new JsonObject().put("path", file.toAbsolutePath().toString()));
      ConfigRetriever retriever = ConfigRetriever.create(vertx,
          new ConfigRetrieverOptions().setScanPeriod(0).addStore(yaml));
      return retriever.getConfig().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new ConfigException("config file " + file + " is not valid YAML: " + e.getCause().getMessage());
    } catch (Exception e) {
      throw new ConfigException("config file " + file + " could not be read: " + e);
    } finally {
      vertx.close();
    }
  }
}
