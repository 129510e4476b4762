package io.chamberlain.system.live.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * The live scenario results as one markdown table: the standard columns of issue 8 (events, SLA
 * breaches, p50/p99/max, lost, duplicated, order, moved, leased, the scenario's recovery numbers), the
 * checks (invariants vs targets), and beside them the reference design (seed 000), Kafka as measured
 * (DESIGN.md) and DESIGN.md's target.
 */
final class ScenarioTable {

  static final int EVIDENCE_CHARS = 90;

  private ScenarioTable() {
  }

  /** One row per run, in the order given; {@code scenarios} and {@code results} pair up by index. */
  static String markdown(List<LiveScenario> scenarios, List<ScenarioResult> results) {
    List<String> header = new ArrayList<>(List.of("scenario", "what happens"));
    for (ScenarioResult.Column column : ScenarioResult.Column.values()) {
      header.add(column.header());
    }
    header.addAll(List.of("checks", "reference design (000)", "Kafka 4.4 (measured)", "target"));
    StringBuilder table = new StringBuilder(row(header)).append(row(header.stream().map(h -> "---").toList()));
    for (int i = 0; i < scenarios.size(); i++) {
      LiveScenario scenario = scenarios.get(i);
      ScenarioResult result = results.get(i);
      List<String> cells = new ArrayList<>(List.of(scenario.name(), scenario.description()));
      for (ScenarioResult.Column column : ScenarioResult.Column.values()) {
        cells.add(result.column(column).orElse("—"));
      }
      cells.add(checksCell(result));
      cells.add(scenario.referenceDesign());
      cells.add(scenario.kafka());
      cells.add(scenario.target());
      table.append(row(cells));
    }
    return table.toString();
  }

  /** "invariants 6/6; targets 2/3 — MISSED: …". */
  static String checksCell(ScenarioResult result) {
    Checks checks = result.checks();
    long invariants = checks.count(Checks.Kind.INVARIANT);
    long targets = checks.count(Checks.Kind.TARGET);
    StringBuilder cell = new StringBuilder("invariants " + (invariants - checks.failed(Checks.Kind.INVARIANT).size())
        + "/" + invariants + ", targets " + (targets - checks.failed(Checks.Kind.TARGET).size()) + "/" + targets);
    if (!result.brokenInvariants().isEmpty()) {
      cell.append(" — BROKEN: ").append(String.join("; ", result.brokenInvariants()));
    }
    if (!result.missedTargets().isEmpty()) {
      cell.append(" — MISSED: ").append(String.join("; ", result.checks().failed(Checks.Kind.TARGET).stream()
          .map(check -> check.what() + " (" + shorten(check.evidence()) + ")").toList()));
    }
    return cell.toString();
  }

  /** Evidence in a table cell is cut at {@link #EVIDENCE_CHARS}; the log has it whole. */
  static String shorten(String evidence) {
    return evidence.length() <= EVIDENCE_CHARS ? evidence : evidence.substring(0, EVIDENCE_CHARS - 1) + "…";
  }

  private static String row(List<String> cells) {
    return "| " + String.join(" | ", cells.stream().map(cell -> cell.replace("|", "\\|").replace("\n", " ")).toList())
        + " |\n";
  }
}
