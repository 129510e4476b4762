package io.chamberlain.system.live.scenario;

import io.chamberlain.system.live.AuditReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one run of a {@link LiveScenario} measured and which of its checks held. The standard
 * numbers are the columns of the live scenario table (all owned, settled, recovery, moved, lost,
 * duplicated, republished, max latency); anything else a scenario wants to show is logged with
 * {@link #detail}. Every number and check is also logged as a {@code live: <scenario>: …} line when
 * it is recorded, so a test log tells the story even if the run aborts half-way.
 *
 * <p>A check that fails does not stop the scenario (the rest is still measured); a step that
 * cannot go on (a timeout waiting for the cluster) aborts it. {@link #assertPassed()} turns both
 * into one {@link AssertionError} for tests.
 */
public final class ScenarioResult {

  /** A number of the table, with its unit; {@code null} when the scenario does not measure it. */
  public enum Column {
    ALL_OWNED("all owned", "ms"),
    SETTLED("settled", "ms"),
    RECOVERY("recovery", "ms"),
    MOVED("chambers moved", ""),
    LOST("lost", ""),
    DUPLICATED("duplicated", ""),
    REPUBLISHED("republished", ""),
    MAX_LATENCY("max latency", "ms");

    final String title;
    final String unit;

    Column(String title, String unit) {
      this.title = title;
      this.unit = unit;
    }
  }

  private final String scenario;
  private final Map<Column, String> columns = new LinkedHashMap<>();
  private final List<String> passed = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();
  private Throwable aborted;
  private Path logs;

  ScenarioResult(String scenario) {
    this.scenario = scenario;
  }

  public String scenario() {
    return scenario;
  }

  /** Records a table number; {@code text} may add context, e.g. "10 (the victim's only)". */
  public void measure(Column column, long value, String text) {
    String shown = text == null || text.isBlank() ? Long.toString(value) : value + " " + text;
    columns.put(column, shown);
    log(column.title + " " + shown + (column.unit.isEmpty() ? "" : " (" + column.unit + ")"));
  }

  public void measure(Column column, long value) {
    measure(column, value, null);
  }

  /** Logs something worth showing that is not a table column. */
  public void detail(String name, Object value) {
    log(name + ": " + value);
  }

  /** Records a check; a failed one fails the scenario but lets it go on. */
  public boolean check(String what, boolean held, String evidence) {
    (held ? passed : failed).add(held ? what : what + " — " + evidence);
    log((held ? "✓ " : "✗ ") + what + (held ? "" : " — " + evidence));
    return held;
  }

  /**
   * The audit's numbers and its guarantees: exactly once (lost, duplicated in the stream), per-chamber
   * order and exclusive ownership; {@code republished} counts verdicts a defender published again
   * for a context already judged (deduplicated by the stream: at-least-once processing at work).
   */
  public void audited(AuditReport report, long republished) {
    measure(Column.LOST, report.lost());
    measure(Column.DUPLICATED, report.duplicated());
    measure(Column.REPUBLISHED, republished);
    measure(Column.MAX_LATENCY, report.maxLatencyMillis(), "(p99 " + report.latencyQuantileMillis(0.99) + ")");
    detail("audit", report.summary());
    check("every event exactly one verdict, per-chamber order, exclusive ownership", report.clean(),
        String.join("; ", report.violations()));
  }

  void aborted(Throwable cause) {
    aborted = cause;
    log("ABORTED: " + cause);
  }

  void logsIn(Path dir) {
    logs = dir;
  }

  public Optional<String> column(Column column) {
    return Optional.ofNullable(columns.get(column));
  }

  public List<String> failures() {
    List<String> all = new ArrayList<>(failed);
    if (aborted != null) {
      all.add("aborted: " + aborted);
    }
    return all;
  }

  public List<String> passedChecks() {
    return List.copyOf(passed);
  }

  public boolean passed() {
    return failures().isEmpty();
  }

  public Optional<Path> logs() {
    return Optional.ofNullable(logs);
  }

  /** For tests: one error naming every failed check (and the abort's cause), with where the logs are. */
  public void assertPassed() {
    if (passed()) {
      return;
    }
    AssertionError error = new AssertionError("live scenario " + scenario + " failed:\n  "
        + String.join("\n  ", failures()) + (logs == null ? "" : "\nlogs: " + logs));
    if (aborted != null) {
      error.initCause(aborted);
    }
    throw error;
  }

  private void log(String line) {
    System.out.println("live: " + scenario + ": " + line);
  }
}
