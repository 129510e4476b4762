package io.chamberlain.worker.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** The two commands run end to end and print their markdown tables (numbers are checked elsewhere). */
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
  void qualityPrintsRatesPerFaultKindForBothRuleSets() {
    String table = run(new DefenseQualityCommand(), "--chambers", "1", "--contexts", "40", "--svids", "5", "--warmup", "10");
    assertTrue(table.contains("| none (false alarms) |"), table);
    assertTrue(table.contains("classic WE (3σ, 8, 6)"), table);
    assertEquals(8, table.lines().filter(line -> line.startsWith("| calibrated") || line.startsWith("| classic")).count(), table);
  }
}
