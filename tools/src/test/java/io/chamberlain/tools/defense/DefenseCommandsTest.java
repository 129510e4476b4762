package io.chamberlain.tools.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.testkit.TestClusters;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/**
 * The two commands run end to end and print their markdown tables (numbers are checked elsewhere);
 * the bench's NATS mode against a real nats-server, for its columns and its clean-up, not its timings.
 */
class DefenseCommandsTest {

  private static String run(Object command, String... args) {
    StringWriter out = new StringWriter();
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out));
    assertEquals(0, commandLine.execute(args));
    return out.toString();
  }

  @Test
  void benchPrintsOneRowPerWeightUpTo3Point6MillionPoints() {
    String table = run(new DefenseBenchCommand(), "--iterations", "1", "--warmup", "2");
    assertTrue(table.contains("| 15,000 | 50 × 1 × 300 |"), table);
    assertTrue(table.contains("| 3,600,000 | 1000 × 10 × 360 |"), table);
    assertEquals(6, table.lines().filter(line -> line.matches("\\| [0-9,]+ \\|.*")).count(), table);
  }

  @Test
  void benchWithNatsPrintsFetchAndKvWriteBesideTheJudgeAndCleansUp() throws Exception {
    try (NatsTestServer server = NatsTestServer.start()) {
      String table = run(new DefenseBenchCommand(), "--iterations", "1", "--warmup", "2", "--nats", server.url());
      String header = table.lines().filter(line -> line.startsWith("| points/context")).findFirst().orElseThrow();
      assertEquals(List.of("points/context", "SVIDs × Hz × s", "trace MB", "fetch ms p50", "decode ms p50",
          "evaluate ms p50", "persist ms p50 (state KB)", "KV CAS ms p50", "judge ms p50", "total ms p50", "total ms p99",
          "p99 share of 5 s", "simulator ms p50"), cells(header), table);
      assertTrue(table.contains("NATS object store fetch + decode + evaluate + persist + KV compare-and-set"), table);
      List<String> rows = table.lines().filter(line -> line.matches("\\| [0-9,]+ \\|.*")).toList();
      assertEquals(6, rows.size(), table);
      assertTrue(rows.get(0).startsWith("| 15,000 | 50 × 1 × 300 |"), table);
      assertTrue(rows.get(5).startsWith("| 3,600,000 | 1000 × 10 × 360 |"), table);
      rows.forEach(row -> assertEquals(13, cells(row).size(), row));
      try (Connection nats = Nats.connect(server.url())) {
        assertFalse(nats.objectStoreManagement().getBucketNames().contains(Subjects.BENCH_TRACE_BUCKET), "trace bucket deleted");
        assertFalse(nats.keyValueManagement().getBucketNames().contains(Subjects.BENCH_CHAMBER_STATE_BUCKET),
            "state bucket deleted");
      }
    }
  }

  @Test
  void benchWithAnUnreachableNatsFailsInsteadOfWaiting() throws Exception {
    CommandLine commandLine = new CommandLine(new DefenseBenchCommand());
    commandLine.setOut(new PrintWriter(new StringWriter()));
    commandLine.setErr(new PrintWriter(new StringWriter()));
    assertNotEquals(0, commandLine.execute("--nats", "nats://127.0.0.1:" + TestClusters.freePort()));
  }

  private static List<String> cells(String row) {
    return Arrays.stream(row.substring(1, row.length() - 1).split("\\|")).map(String::trim).toList();
  }

  @Test
  void qualityPrintsRatesPerFaultKindForBothRuleSets() {
    String table = run(new DefenseQualityCommand(), "--chambers", "1", "--contexts", "40", "--svids", "5", "--warmup", "10");
    assertTrue(table.contains("| none (false alarms) |"), table);
    assertTrue(table.contains("classic WE (3σ, 8, 6)"), table);
    assertEquals(8, table.lines().filter(line -> line.startsWith("| calibrated") || line.startsWith("| classic")).count(), table);
  }
}
