package io.chamberlain.nats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LaneMappingConfigTest {

  @Test
  void theShippedServerConfigShowsTheMappingTheCodeRenders() throws Exception {
    String shipped = Files.readString(Path.of("..", "config", "nats-server.conf"));
    String mapping = LaneMappingConfig.render(4).lines().filter(line -> line.contains("partition")).findFirst()
        .orElseThrow().strip();
    assertTrue(shipped.lines().anyMatch(line -> line.startsWith("#") && line.substring(1).strip().equals(mapping)),
        "config/nats-server.conf should show, commented out:\n# " + mapping);
  }
}
