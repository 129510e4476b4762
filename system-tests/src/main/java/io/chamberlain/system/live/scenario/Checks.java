package io.chamberlain.system.live.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * A scenario's checks, each of one of two kinds (issue 8, "The CI gate never flakes"):
 *
 * <ul>
 *   <li>{@link Kind#INVARIANT} — a guarantee that holds on any machine however loaded: exactly once,
 *       per-chamber order, exclusive ownership, every chamber owned at the end, nothing lost, a new
 *       leader in a newer term, rounds and moves bounded <em>with slack</em>. A broken invariant fails
 *       the integration test and the benchmark;
 *   <li>{@link Kind#TARGET} — anything that depends on timing: SLA breaches = 0, p99, recovery ≤ N s,
 *       a pause ≤ restart + x, "nothing moved during a 1.5 s pause". A missed target is shown in the
 *       table and makes {@code scenarios --live} exit non-zero, but never fails a test: a busy CI
 *       machine must not turn a benchmark number into a red build.
 * </ul>
 */
public final class Checks {

  /** What a failed check means. */
  public enum Kind {
    INVARIANT, TARGET
  }

  /** One check and its outcome; {@code evidence} says what was seen when it did not hold. */
  public record Check(Kind kind, String what, boolean held, String evidence) {
    @Override
    public String toString() {
      return kind.name().toLowerCase() + " " + (held ? "held" : "MISSED") + ": " + what + (held ? "" : " — " + evidence);
    }
  }

  private final List<Check> checks = new ArrayList<>();

  public synchronized Check add(Kind kind, String what, boolean held, String evidence) {
    Check check = new Check(kind, what, held, evidence);
    checks.add(check);
    return check;
  }

  public synchronized List<Check> all() {
    return List.copyOf(checks);
  }

  public synchronized List<Check> failed(Kind kind) {
    return checks.stream().filter(c -> c.kind() == kind && !c.held()).toList();
  }

  public synchronized long count(Kind kind) {
    return checks.stream().filter(c -> c.kind() == kind).count();
  }

  /** Every invariant held (a test passes). */
  public boolean invariantsHeld() {
    return failed(Kind.INVARIANT).isEmpty();
  }

  /** Every target met too (the benchmark passes). */
  public boolean allHeld() {
    return invariantsHeld() && failed(Kind.TARGET).isEmpty();
  }
}
