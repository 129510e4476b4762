package io.chamberlain.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssignmentCsvTest {

  @TempDir
  Path dir;

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void readsChambersWithHeaderCommentsAndBlankLines() throws IOException {
    Path csv = file("c.csv", "chamber,weight\n# fab 1\ntool001:1, 1200000\n\n tool002:1 ,30000.5\n");
    SortedMap<ChamberKey, Double> weights = AssignmentCsv.readChambers(csv);
    assertEquals(Map.of(ChamberKey.parse("tool001:1"), 1_200_000.0, ChamberKey.parse("tool002:1"), 30_000.5), weights);
  }

  @Test
  void errorsNameFileLineAndProblem() throws IOException {
    assertProblem(file("a.csv", "tool001:1,10\ntool001:2\n"), "a.csv:2: expected 2 columns");
    assertProblem(file("b.csv", "tool001:1,ten\n"), "b.csv:1: weight 'ten' of tool001:1 is not a number");
    assertProblem(file("c.csv", "tool001:1,-1\n"), "c.csv:1: weight of tool001:1 must be ≥ 0");
    assertProblem(file("d.csv", "tool001:1,1\ntool001:1,2\n"), "d.csv:2: chamber tool001:1 is listed twice");
    assertProblem(file("e.csv", "tool.001:1,1\n"), "e.csv:1: toolId 'tool.001'");
    assertProblem(file("f.csv", "tool001,1\n"), "f.csv:1: chamber key 'tool001' must have exactly one ':'");
  }

  @Test
  void previousAssignmentRejectsBadDefenderIds() throws IOException {
    Path ok = file("p.csv", "chamber,defender\ntool001:1,defender-0\n");
    assertEquals(Map.of(ChamberKey.parse("tool001:1"), "defender-0"), AssignmentCsv.readPrevious(ok));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AssignmentCsv.readPrevious(file("q.csv", "tool001:1,defender>0\n")));
    assertTrue(e.getMessage().endsWith("q.csv:1: defender id 'defender>0' contains characters other than letters,"
        + " digits, '_' and '-' (dots, spaces and the NATS wildcards '*' and '>' are not allowed)"), e.getMessage());
  }

  @Test
  void defendersAreACountOrAList() {
    assertEquals(3, AssignCommand.parseDefenders("3").size());
    assertEquals("defender-2", AssignCommand.parseDefenders("3").get(2).id());
    assertEquals("b", AssignCommand.parseDefenders("a, b").get(1).id());
    assertThrows(IllegalArgumentException.class, () -> AssignCommand.parseDefenders("0"));
    assertThrows(IllegalArgumentException.class, () -> AssignCommand.parseDefenders("a,a"));
    assertThrows(IllegalArgumentException.class, () -> AssignCommand.parseDefenders("a,*"));
  }

  private static void assertProblem(Path csv, String expectedStart) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AssignmentCsv.readChambers(csv));
    String relative = e.getMessage().substring(e.getMessage().lastIndexOf('/') + 1);
    assertTrue(relative.startsWith(expectedStart), e.getMessage());
  }
}
