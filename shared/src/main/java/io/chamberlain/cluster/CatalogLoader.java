package io.chamberlain.cluster;

import io.chamberlain.config.ConfigException;
import io.chamberlain.domain.ChamberCatalog;
import io.chamberlain.domain.ChamberProfile;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads the chamber catalog ({@code chambers.file}) and other YAML side files with Vert.x Config, on
 * the running node (the node's own config is read before it runs: {@link io.chamberlain.config.ConfigLoader}).
 */
public final class CatalogLoader {

  private CatalogLoader() {
  }

  public static Future<List<ChamberProfile>> load(Vertx vertx, String file) {
    if (file == null || file.isBlank()) {
      return Future.succeededFuture(List.of());
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      return Future.failedFuture(new ConfigException("chambers.file " + path.toAbsolutePath()
          + " does not exist (set chambers.file to an existing YAML file, or to \"\" for auto-discovery only)"));
    }
    return readYaml(vertx, path).map(tree -> ChamberCatalog.parse(plainTree(tree), path.toString()));
  }

  /** The YAML tree as plain maps and lists (the pure core knows no Vert.x JSON types). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> plainTree(JsonObject json) {
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

  /** Reads a YAML file with Vert.x Config (one read, no scanning). */
  public static Future<JsonObject> readYaml(Vertx vertx, Path path) {
    ConfigStoreOptions yaml = new ConfigStoreOptions().setType("file").setFormat("yaml")
        .setConfig(new JsonObject().put("path", path.toAbsolutePath().toString()));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setScanPeriod(0).addStore(yaml));
    return retriever.getConfig().eventually(() -> {
      retriever.close();
      return Future.succeededFuture();
    });
  }
}
