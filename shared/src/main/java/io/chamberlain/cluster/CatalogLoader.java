package io.chamberlain.cluster;

import io.chamberlain.config.ConfigException;
import io.chamberlain.config.ConfigLoader;
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

/** Reads the chamber catalog ({@code chambers.file}) and other YAML side files with Vert.x Config. */
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
    return readYaml(vertx, path).map(tree -> ChamberCatalog.parse(ConfigLoader.plainTree(tree), path.toString()));
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
