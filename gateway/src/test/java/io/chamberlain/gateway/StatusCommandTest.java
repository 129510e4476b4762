package io.chamberlain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StatusCommandTest {

  @Test
  void aRowPerDefenderUnderTheClusterLine() {
    JsonObject cluster = new JsonObject().put("leaderNode", "node-a").put("term", 3).put("state", "STABLE")
        .put("epoch", 12).put("chambers", 300).put("unownedChambers", 0).put("leasedChambers", 4).put("totalWeight", 90_000.0)
        .put("defenders", new JsonArray()
            .add(new JsonObject().put("id", "defender-1").put("status", "LIVE").put("version", "0.1.0").put("chambers", 150)
                .put("weight", 45_000.0).put("loadRatio", 1.01).put("leasedIn", 4).put("leasedOut", 0)
                .put("heartbeatAgeMillis", 120).put("cacheHits", 3).put("cacheMisses", 1).put("lagVerdict", "WARN")
                .put("processingP99Millis", 41.6))
            .add(new JsonObject().put("id", "defender-2").put("status", "RESTARTING").put("chambers", 150)
                .put("weight", 45_000.0).put("loadRatio", 0.99).put("leasedIn", 0).put("leasedOut", 4)));
    String[] lines = StatusCommand.renderCluster(cluster).split("\n");
    assertTrue(lines[0].startsWith("leader node-a  term 3  state STABLE  epoch 12  chambers 300 (0 unowned, 4 leased)"), lines[0]);
    assertTrue(lines[2].startsWith("DEFENDER"), lines[2]);
    assertTrue(lines[3].matches("defender-1\\s+LIVE\\s+0\\.1\\.0\\s+150\\s+45,000\\s+1\\.01\\s+4/0\\s+WARN\\s+42 ms\\s+120 ms\\s+75 %"), lines[3]);
    assertTrue(lines[4].matches("defender-2\\s+RESTARTING\\s+—\\s+150\\s+45,000\\s+0\\.99\\s+0/4\\s+—\\s+—\\s+—\\s+—"), lines[4]);
  }

  @Test
  void aBodyThatIsNotALeadersViewIsRefusedWithTheFieldNamed() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> StatusCommand.renderCluster(
        new JsonObject().put("leaderNode", "node-a").put("state", "STABLE").put("term", "three")));
    assertTrue(refused.getMessage().contains("'term'"), refused.getMessage());
  }

  @Test
  void aChamberIsNamedToolColonChamber() {
    StatusCommand command = new StatusCommand();
    new CommandLine(command).parseArgs("--chamber", "tool001:7");
    assertEquals("/api/chambers/tool001/7", command.chamberPath());
    new CommandLine(command).parseArgs("--chamber", "tool001");
    assertNull(command.chamberPath());
  }

  @Test
  void aMalformedChamberOrAnUnreachableGatewayIsAClearErrorAndANonZeroExit() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, new CommandLine(new StatusCommand(System.out, errors)).execute("--chamber", "nocolon"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--chamber must be TOOL:CHAMBER, was 'nocolon'"), err.toString());
    assertEquals(1, new CommandLine(new StatusCommand(System.out, errors)).execute("--gateway", "http://127.0.0.1:1"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("status: cannot reach http://127.0.0.1:1/api/cluster"), err.toString());
  }
}
