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
    return ConfigResolver.resolve(schema, readYaml(file).getMap(), file.toString(), env);
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
