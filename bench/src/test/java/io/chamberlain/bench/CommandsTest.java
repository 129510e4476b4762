package io.chamberlain.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.domain.ChamberKey;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class CommandsTest {

  private static final double EPS = AssignmentTuning.DEFAULT_EPSILON;

  @TempDir
  Path dir;

  private record Run(int exit, String out, String err) {
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchMain());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void assignIsStickyAcrossRuns() throws IOException {
    StringBuilder csv = new StringBuilder("chamber,weight\n");
    SyntheticPopulation.weights(400, 1).forEach((chamber, weight) -> csv.append(chamber).append(',').append(weight)
        .append('\n'));
    Path chambers = Files.writeString(dir.resolve("chambers.csv"), csv);
    Path first = dir.resolve("first.csv");
    Run fresh = run("assign", "--chambers", chambers.toString(), "--defenders", "8", "--out", first.toString());
    assertEquals(0, fresh.exit(), fresh.err());
    assertTrue(fresh.out().contains("\"movedChambers\": 0"), fresh.out());
    assertEquals(401, Files.readAllLines(first).size());

    Run grown = run("assign", "--chambers", chambers.toString(), "--defenders", "9", "--previous", first.toString(),
        "--out", dir.resolve("second.csv").toString());
    assertEquals(0, grown.exit(), grown.err());
    assertTrue(grown.out().contains("\"defender-8\": {\"load\""), grown.out());
  }

  @Test
  void badCsvLineIsAUsageErrorNamingTheLine() throws IOException {
    Path chambers = Files.writeString(dir.resolve("bad.csv"), "tool001:1,1\ntool001:2,x\n");
    Run bad = run("assign", "--chambers", chambers.toString(), "--defenders", "2");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("bad.csv:2: weight 'x' of tool001:2 is not a number"), bad.err());
  }

  /**
   * Every reference scenario on both synthetic populations (and two seeds), each checked against
   * its row of the DESIGN.md targets. Times are on the simulator's virtual clock, so they are exact
   * and the test is not timing-sensitive.
   */
  @ParameterizedTest(name = "{0} chambers, seed {1}")
  @CsvSource({"1500, 42", "6000, 42", "1500, 7", "6000, 7"})
  void everyScenarioMeetsItsDesignTarget(int chambers, long seed) {
    SortedMap<ChamberKey, Double> weights = SyntheticPopulation.weights(chambers, seed);
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    double heaviest = weights.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    for (Scenario scenario : Scenario.values()) {
      ScenarioRunner.Outcome o = ScenarioRunner.run(scenario, weights);
      String row = scenario + " on " + chambers + " chambers (seed " + seed + "): " + o;
      assertEquals(chambers, o.chambers(), row);
      switch (scenario) {
        case COLD_START -> {
          // All owned ≤ 1 s after the first defender is ready, balanced ≤ 3 s after the last, ≤ 3 rounds.
          assertTrue(o.allOwnedAfterMillis() <= 1_000, "owned after " + o.allOwnedAfterMillis() + " ms; " + row);
          assertBalancedWithin(3_000, o, row);
          assertTrue(o.published() >= 1 && o.published() <= 3, "rounds " + o.published() + "; " + row);
          assertWithinThreePercent(o, row);
        }
        case SCALE_UP, SCALE_DOWN -> {
          // One batched rebalance, balanced ≤ 5 s after the change, moved weight ≤ 1.1 × the minimum;
          // leavers keep their chambers until the new assignment runs, so nothing is ever unowned.
          assertBalancedWithin(5_000, o, row);
          assertEquals(1, o.published(), row);
          assertTrue(o.minimumWeight() > 0, row);
          assertTrue(o.movedWeight() <= 1.1 * o.minimumWeight(), "moved " + o.movedWeight() + " > 1.1 × minimum "
              + o.minimumWeight() + "; " + row);
          assertEquals(0, o.allOwnedAfterMillis(), row);
          assertWithinThreePercent(o, row);
          if (scenario == Scenario.SCALE_DOWN) {
            assertEquals(0, o.stayersMoved(), "scale-down moves only the leavers' chambers; " + row);
          }
        }
        case CRASH, FROZEN -> {
          // Its chambers run again ≤ 2 s after a kill (≤ 3 s for a frozen host: heartbeats every
          // 500 ms, dead after 2.5 s of silence), in one placement that moves only them.
          long target = scenario == Scenario.CRASH ? 2_000 : 3_000;
          assertTrue(o.allOwnedAfterMillis() > 0 && o.allOwnedAfterMillis() <= target,
              "owned again after " + o.allOwnedAfterMillis() + " ms; " + row);
          assertEquals(1, o.published(), row);
          assertEquals(0, o.stayersMoved(), "no other chamber moves; " + row);
          assertTrue(o.departedChambers() > 0, row);
          assertEquals(o.departedChambers(), o.movedChambers(), row);
          assertEquals(o.minimumWeight(), o.movedWeight(), 1e-6, row);
          // Nothing else may move, so granularity decides the balance: within ±3 % where the heaviest
          // chamber allows it, else within fair share ± the heaviest chamber.
          double fair = total / scenario.defendersAfter;
          double upper = Math.max(1 + EPS, 1 + heaviest / fair);
          double lower = Math.min(1 - EPS, 1 - heaviest / fair);
          assertTrue(o.maxOverFair() <= upper + 1e-9, "max/fair " + o.maxOverFair() + " > " + upper + "; " + row);
          assertTrue(o.minOverFair() >= lower - 1e-9, "min/fair " + o.minOverFair() + " < " + lower + "; " + row);
        }
        case ROLLING_UPDATE -> {
          // Zero moves; each restart lends its chambers and hands them back (two publications, no
          // home changes), so a chamber waits only for a handoff, never for the restart.
          assertEquals(0, o.movedChambers(), row);
          assertEquals(0, o.stayersMoved(), row);
          assertEquals(2 * scenario.defendersBefore, o.published(), row);
          assertTrue(o.allOwnedAfterMillis() <= 2 * SimulatedCluster.APPLY_LATENCY_MILLIS,
              "paused " + o.allOwnedAfterMillis() + " ms; " + row);
          assertWithinThreePercent(o, row);
        }
        default -> throw new AssertionError("no target for scenario " + scenario);
      }
    }
  }

  private static void assertBalancedWithin(long millis, ScenarioRunner.Outcome o, String row) {
    assertTrue(o.balancedAfterMillis() != null && o.balancedAfterMillis() <= millis,
        "balanced after " + o.balancedAfterMillis() + " ms, target " + millis + " ms; " + row);
  }

  private static void assertWithinThreePercent(ScenarioRunner.Outcome o, String row) {
    assertTrue(o.maxOverFair() <= 1 + EPS + 1e-9 && o.minOverFair() >= 1 - EPS - 1e-9,
        "max/fair " + o.maxOverFair() + ", min/fair " + o.minOverFair() + "; " + row);
  }

  @Test
  void scenariosCommandPrintsTheTableForBothPopulations() throws IOException {
    Path file = dir.resolve("scenarios.md");
    Run run = run("scenarios", "--chambers", "1500,6000", "--seed", "42", "--out", file.toString());
    assertEquals(0, run.exit(), run.err());
    String out = run.out();
    assertEquals(out, Files.readString(file), "--out writes what is printed");
    assertTrue(out.startsWith("## Chamberlain scenarios"), out);
    int first = out.indexOf("### 1,500 chambers (seed 42)");
    int second = out.indexOf("### 6,000 chambers (seed 42)");
    assertTrue(first >= 0 && second > first, out);
    for (String table : List.of(out.substring(first, second), out.substring(second))) {
      List<String> rows = table.lines().filter(line -> line.startsWith("|")).toList();
      assertTrue(rows.get(0).startsWith("| scenario | system | all chambers owned again after"), table);
      assertEquals("| --- | --- | --- | --- | --- | --- | --- | --- | --- |", rows.get(1));
      assertEquals(2 + 3 * Scenario.values().length, rows.size(), table);
      for (String line : rows) {
        assertEquals(11, line.split("\\|", -1).length, "9 columns: " + line);
      }
      for (Scenario scenario : Scenario.values()) {
        assertTrue(table.contains("| " + scenario.title + " | **Chamberlain** (simulated) |"), scenario + "\n" + table);
      }
      assertEquals(Scenario.values().length, rows.stream().filter(r -> r.contains("| reference design (000) |")).count());
      assertEquals(Scenario.values().length, rows.stream().filter(r -> r.contains("| Kafka-style, 64 partitions")).count());
    }
    assertTrue(out.contains("Chamberlain rows: the real leader state machine"), out);
  }
}
