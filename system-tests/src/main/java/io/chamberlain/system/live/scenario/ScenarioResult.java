package io.chamberlain.system.live.scenario;

import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.LatencySummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one run of a {@link LiveScenario} measured and which of its checks held. The standard
 * numbers are the columns of the live scenario table ({@link Column}); the scenario's own recovery
 * numbers go to {@link #recovery}; anything else worth showing is logged with {@link #detail}. Every
 * number and check is also logged as a {@code live: <scenario>: …} line when it is recorded, so a
 * test log tells the story even if the run aborts half-way.
 *
 * <p>Checks are {@linkplain #invariant invariants} or {@linkplain #target targets} ({@link Checks}).
 * A check that fails does not stop the scenario (the rest is still measured); a step that cannot go
 * on (a timeout waiting for the cluster) aborts it, which counts as a broken invariant.
 * {@link #assertInvariants()} is what a test asserts; {@link #passed()} is what the benchmark asks.
 */
public final class ScenarioResult {

  /** A number of the table, with its unit; "—" when the scenario does not measure it. */
  public enum Column {
    PUBLISHED("events published", ""),
    BREACHES("SLA breaches (> 5 s)", ""),
    P50("p50", "ms"),
    P99("p99", "ms"),
    MAX("max", "ms"),
    LOST("lost", ""),
    DUPLICATED("duplicated", ""),
    ORDER("order violations", ""),
    MOVED("chambers moved", ""),
    LEASED("chambers leased", ""),
    RECOVERY("recovery", "");

    final String title;
    final String unit;

    Column(String title, String unit) {
      this.title = title;
      this.unit = unit;
    }

    String header() {
      return title + (unit.isEmpty() ? "" : " (" + unit + ")");
    }
  }

  private final String scenario;
  private final Map<Column, String> columns = new LinkedHashMap<>();
  private final List<String> recoveries = new ArrayList<>();
  private final Checks checks = new Checks();
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
    log(column.header() + " " + shown);
  }

  public void measure(Column column, long value) {
    measure(column, value, null);
  }

  /** Adds one of the scenario's own recovery numbers to its column, e.g. {@code ("reassigned", "480 ms")}. */
  public void recovery(String name, String value) {
    recoveries.add(name + " " + value);
    log("recovery: " + name + " " + value);
  }

  /** Logs something worth showing that is not a table column. */
  public void detail(String name, Object value) {
    log(name + ": " + value);
  }

  /** A guarantee: fails the test and the benchmark when it does not hold. */
  public boolean invariant(String what, boolean held, String evidence) {
    return record(checks.add(Checks.Kind.INVARIANT, what, held, evidence));
  }

  /** A timing target: shown, fails the benchmark, never the test. */
  public boolean target(String what, boolean held, String evidence) {
    return record(checks.add(Checks.Kind.TARGET, what, held, evidence));
  }

  /**
   * The audit's numbers and guarantees: exactly once (lost, duplicated in the stream), per-chamber
   * order, exclusive ownership, state continuity — an invariant; {@code republished} counts verdicts
   * published again for a context already judged (deduplicated by the stream).
   */
  public void audited(AuditReport report, long republished, LatencySummary latency, long untapped) {
    measure(Column.PUBLISHED, report.published());
    measure(Column.BREACHES, latency.breaches());
    measure(Column.P50, latency.p50());
    measure(Column.P99, latency.p99());
    measure(Column.MAX, latency.max());
    measure(Column.LOST, report.lost());
    measure(Column.DUPLICATED, report.duplicated(), republished == 0 ? "" : "(" + republished + " republished)");
    measure(Column.ORDER, report.orderViolations());
    detail("latency by the harness's clock", latency.shortText() + (untapped == 0 ? ""
        : " (" + untapped + " events the tap missed timed by the defender's stamp)"));
    detail("audit", report.summary());
    invariant("every event exactly one verdict, per-chamber order, exclusive ownership, state continuity",
        report.clean(), String.join("; ", report.violations()));
  }

  void aborted(Throwable cause) {
    aborted = cause;
    log("ABORTED: " + cause);
    if (cause != null && cause.getStackTrace().length > 0) {
      log("  at " + cause.getStackTrace()[0]);
    }
  }

  void logsIn(Path dir) {
    logs = dir;
  }

  public Optional<String> column(Column column) {
    if (column == Column.RECOVERY) {
      return recoveries.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", recoveries));
    }
    return Optional.ofNullable(columns.get(column));
  }

  public Checks checks() {
    return checks;
  }

  /** Broken invariants and the abort, if any: what fails a test. */
  public List<String> brokenInvariants() {
    List<String> all = new ArrayList<>(checks.failed(Checks.Kind.INVARIANT).stream().map(Checks.Check::toString).toList());
    if (aborted != null) {
      all.add("aborted: " + aborted);
    }
    return all;
  }

  public List<String> missedTargets() {
    return checks.failed(Checks.Kind.TARGET).stream().map(Checks.Check::toString).toList();
  }

  /** Invariants held and the run did not abort. */
  public boolean invariantsHeld() {
    return brokenInvariants().isEmpty();
  }

  /** Invariants held and every target was met: the benchmark's verdict. */
  public boolean passed() {
    return invariantsHeld() && missedTargets().isEmpty();
  }

  public Optional<Path> logs() {
    return Optional.ofNullable(logs);
  }

  /** For tests: one error naming every broken invariant (and the abort's cause); missed targets are only logged. */
  public void assertInvariants() {
    if (!missedTargets().isEmpty()) {
      log("targets missed (not a test failure): " + missedTargets());
    }
    if (invariantsHeld()) {
      return;
    }
    AssertionError error = new AssertionError("live scenario " + scenario + " broke an invariant:\n  "
        + String.join("\n  ", brokenInvariants()) + (logs == null ? "" : "\nlogs: " + logs));
    if (aborted != null) {
      error.initCause(aborted);
    }
    throw error;
  }

  private boolean record(Checks.Check check) {
    log((check.held() ? "✓ " : "✗ ") + check.kind().name().toLowerCase() + ": " + check.what()
        + (check.held() ? "" : " — " + check.evidence()));
    return check.held();
  }

  private void log(String line) {
    System.out.println("live: " + scenario + ": " + line);
  }
}
