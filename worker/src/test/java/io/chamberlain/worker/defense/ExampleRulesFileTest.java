package io.chamberlain.worker.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.cluster.CatalogLoader;
import io.chamberlain.domain.ChamberKey;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shipped example rules file loads and selects the documented processes. */
class ExampleRulesFileTest {

  @Test
  void exampleRulesSelectExternalBuiltInAndFallback() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonArray rules = CatalogLoader.readYaml(vertx, Path.of("../config/defense-processes.example.yaml"))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).getJsonArray("processes");
      assertEquals(2, rules.size());
      try (DefenseSelector selector = DefenseSelector.fromConfig(rules)) {
        assertEquals("external", selector.processFor(ChamberKey.parse("etch07:2")).name().split(":")[0]);
        assertEquals("builtin", selector.processFor(ChamberKey.parse("tool001:3")).name().split(":")[0]);
        assertEquals("builtin", selector.processFor(ChamberKey.parse("tool002:1")).name().split(":")[0]);
      }
    } finally {
      vertx.close();
    }
  }
}
