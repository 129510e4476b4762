package io.chamberlain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The files in {@code config/} and the README stay true to the code. */
class ConfigFilesTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void referenceYamlFilesAreTheRenderedSchema() throws Exception {
    for (String node : List.of("gateway", "worker")) {
      List<ConfigKey> schema = node.equals("gateway") ? ConfigSchema.GATEWAY : ConfigSchema.WORKER;
      assertEquals(ConfigReference.render(node, schema), Files.readString(ROOT.resolve("config/" + node + ".yaml")),
          "config/" + node + ".yaml is stale; regenerate it with bin/regenerate-config-docs");
    }
  }

  @Test
  void referenceYamlFilesLoadToTheDefaults() {
    ResolvedConfig fromFile = ConfigLoader.load(ROOT.resolve("config/gateway.yaml"), ConfigSchema.GATEWAY, Map.of());
    assertEquals(ConfigLoader.load(null, ConfigSchema.GATEWAY, Map.of()).asMap(), fromFile.asMap());
    ConfigLoader.load(ROOT.resolve("config/worker.yaml"), ConfigSchema.WORKER, Map.of());
  }

  @Test
  void readmeDocumentsEveryEnvironmentVariable() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (List<ConfigKey> schema : List.of(ConfigSchema.GATEWAY, ConfigSchema.WORKER)) {
      for (ConfigKey key : schema) {
        assertTrue(readme.contains("`" + key.envName() + "`"), "README does not document " + key.envName());
      }
    }
  }
}
