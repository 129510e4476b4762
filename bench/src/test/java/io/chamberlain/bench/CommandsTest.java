package io.chamberlain.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandsTest {

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

  @Test
  void scenariosMeetTheTargetsOnASmallPopulation() {
    for (Scenario scenario : List.of(Scenario.COLD_START, Scenario.SCALE_UP, Scenario.SCALE_DOWN, Scenario.CRASH,
        Scenario.ROLLING_UPDATE)) {
      ScenarioRunner.Outcome o = ScenarioRunner.run(scenario, SyntheticPopulation.weights(6000, 7));
      switch (scenario) {
        case COLD_START -> {
          assertTrue(o.allOwnedAfterMillis() <= 1_000, "owned after " + o.allOwnedAfterMillis());
          assertTrue(o.balancedAfterMillis() != null && o.balancedAfterMillis() <= 3_000);
          assertTrue(o.published() <= 3, "rounds " + o.published());
        }
        case SCALE_UP, SCALE_DOWN -> {
          assertTrue(o.balancedAfterMillis() != null && o.balancedAfterMillis() <= 5_000);
          assertTrue(o.movedWeight() <= 1.1 * o.minimumWeight(), "moved " + o.movedWeight() + " min " + o.minimumWeight());
        }
        case CRASH -> {
          assertTrue(o.allOwnedAfterMillis() <= 2_000, "owned after " + o.allOwnedAfterMillis());
          assertEquals(o.minimumWeight(), o.movedWeight(), 1e-6);
        }
        case ROLLING_UPDATE -> {
          assertEquals(0, o.movedChambers());
          assertEquals(0, o.published());
        }
        default -> throw new AssertionError(scenario);
      }
    }
  }
}
