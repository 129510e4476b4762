package io.chamberlain.bench;

import io.chamberlain.assign.Assignment;
import io.chamberlain.assign.AssignmentSummary;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.Ids;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code assign} command's files. Input CSVs have two columns, an optional header line
 * ({@code chamber,…}), and may contain blank lines and {@code #} comments. Every error names
 * {@code file:line} and what was wrong.
 */
final class AssignmentCsv {

  /** A malformed input line; the message starts with {@code file:line:}. */
  static final class CsvException extends IllegalArgumentException {
    CsvException(Path file, int line, String problem) {
      super(file + ":" + line + ": " + problem);
    }
  }

  private interface Row {
    void accept(int line, String first, String second);
  }

  private AssignmentCsv() {
  }

  /** {@code chamber,weight} with chamber = {@code tool:chamber}, weight a number ≥ 0. */
  static SortedMap<ChamberKey, Double> readChambers(Path file) throws IOException {
    SortedMap<ChamberKey, Double> weights = new TreeMap<>();
    read(file, "chamber,weight", (line, chamberText, weightText) -> {
      ChamberKey chamber = chamber(file, line, chamberText);
      double weight;
      try {
        weight = Double.parseDouble(weightText);
      } catch (NumberFormatException e) {
        throw new CsvException(file, line, "weight '" + weightText + "' of " + chamber + " is not a number");
      }
      if (!(weight >= 0) || Double.isInfinite(weight)) {
        throw new CsvException(file, line, "weight of " + chamber + " must be ≥ 0 and finite, was " + weightText);
      }
      if (weights.put(chamber, weight) != null) {
        throw new CsvException(file, line, "chamber " + chamber + " is listed twice");
      }
    });
    return weights;
  }

  /** {@code chamber,defender}: a previous assignment. */
  static Map<ChamberKey, String> readPrevious(Path file) throws IOException {
    Map<ChamberKey, String> owners = new TreeMap<>();
    read(file, "chamber,defender", (line, chamberText, defenderText) -> {
      ChamberKey chamber = chamber(file, line, chamberText);
      String problem = Ids.problem(defenderText);
      if (problem != null) {
        throw new CsvException(file, line, "defender id '" + defenderText + "' " + problem);
      }
      if (owners.put(chamber, defenderText) != null) {
        throw new CsvException(file, line, "chamber " + chamber + " is listed twice");
      }
    });
    return owners;
  }

  private static ChamberKey chamber(Path file, int line, String text) {
    try {
      return ChamberKey.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CsvException(file, line, e.getMessage());
    }
  }

  private static void read(Path file, String expectedColumns, Row row) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text;
      int line = 0;
      while ((text = reader.readLine()) != null) {
        line++;
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        String[] fields = trimmed.split(",", -1);
        if (fields.length != 2) {
          throw new CsvException(file, line, "expected 2 columns (" + expectedColumns + "), found " + fields.length
              + ": '" + trimmed + "'");
        }
        String first = fields[0].strip();
        String second = fields[1].strip();
        if (line == 1 && first.equalsIgnoreCase("chamber")) {
          continue; // header
        }
        row.accept(line, first, second);
      }
    }
  }

  static void writeAssignment(Assignment assignment, Writer out) throws IOException {
    out.write("chamber,defender\n");
    for (Map.Entry<ChamberKey, String> owner : assignment.owners().entrySet()) {
      out.write(owner.getKey() + "," + owner.getValue() + "\n");
    }
    out.flush();
  }

  /** The summary as JSON (ids are validated, so they need no escaping). */
  static String summaryJson(Assignment assignment, AssignmentSummary summary, double epsilon) {
    Map<String, Integer> counts = new TreeMap<>();
    assignment.owners().values().forEach(owner -> counts.merge(owner, 1, Integer::sum));
    StringBuilder json = new StringBuilder("{\n");
    json.append(field("chambers", assignment.size())).append(field("defenders", summary.loads().size()))
        .append(field("epsilon", epsilon)).append(field("movedChambers", summary.movedChambers()))
        .append(field("movedWeight", summary.movedWeight()))
        .append(field("minimumMovedWeight", summary.minimumMovedWeight()))
        .append(field("orphanWeight", summary.orphanWeight())).append(field("newChambers", summary.newChambers()))
        .append(field("maxOverFair", summary.maxOverFair())).append(field("minOverFair", summary.minOverFair()))
        .append("  \"loads\": {");
    String separator = "\n";
    for (Map.Entry<String, Double> load : summary.loads().entrySet()) {
      json.append(separator).append(String.format(Locale.ROOT,
          "    \"%s\": {\"load\": %s, \"fair\": %s, \"chambers\": %d}", load.getKey(), number(load.getValue()),
          number(summary.fairShares().get(load.getKey())), counts.getOrDefault(load.getKey(), 0)));
      separator = ",\n";
    }
    return json.append("\n  }\n}\n").toString();
  }

  private static String field(String name, double value) {
    return "  \"" + name + "\": " + number(value) + ",\n";
  }

  private static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6f", value) : "null";
  }
}
