package io.chamberlain.leader;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Defenders held out of placement, and why: drained by an operator, or ahead of an autoscaler's
 * scale-in ({@link io.chamberlain.capacity.ScaleInForecast}). A defender is drained while either
 * holds it; only a change of that answers with a {@link Change}, which the leader's adapter turns
 * into inputs: drained → {@link LeaderInput.DefenderLeft} (its chambers move away in the next
 * rebalance), undrained → {@link LeaderInput.DefenderJoined} — but only for a defender still
 * running: one whose pod the autoscaler already removed must not be given chambers it will never
 * serve (its next heartbeat, should it come back, joins it). Pure.
 */
public final class Drains {

  /** Why a defender is drained (or was, for an undrain). */
  public enum Reason {
    OPERATOR("by an operator"),
    SCALE_IN("ahead of the autoscaler's scale-in");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** A defender became drained ({@code drained}) or not; {@code rejoin}: undrained and still running. */
  public record Change(String defenderId, boolean drained, Reason reason, boolean rejoin) {
  }

  private final Set<String> byOperator = new TreeSet<>();
  private final Set<String> forScaleIn = new TreeSet<>();
  /** Grows with every change of either set: what was persisted is compared by it, not by copies. */
  private long version;

  public Drains() {
  }

  /** The drains a previous leader left (its memo), so a new leader keeps them. */
  public Drains(Collection<String> byOperator, Collection<String> forScaleIn) {
    this.byOperator.addAll(byOperator);
    this.forScaleIn.addAll(forScaleIn);
  }

  /** Those an operator drained. */
  public Set<String> byOperator() {
    return Collections.unmodifiableSet(byOperator);
  }

  /** Changes whenever a defender is drained or undrained for either reason. */
  public long version() {
    return version;
  }

  public boolean isDrained(String defenderId) {
    return byOperator.contains(defenderId) || forScaleIn.contains(defenderId);
  }

  /** Every drained defender. */
  public Set<String> all() {
    Set<String> all = new TreeSet<>(byOperator);
    all.addAll(forScaleIn);
    return Collections.unmodifiableSet(all);
  }

  /** Those drained ahead of a scale-in. */
  public Set<String> forScaleIn() {
    return Collections.unmodifiableSet(forScaleIn);
  }

  /** An operator drains ({@code drain}) or undrains a defender; empty if that changes nothing. */
  public List<Change> operator(String defenderId, boolean drain, boolean running) {
    boolean changed = drain ? byOperator.add(defenderId) : byOperator.remove(defenderId);
    if (changed) {
      version++;
    }
    if (!changed || forScaleIn.contains(defenderId)) {
      return List.of();
    }
    return List.of(new Change(defenderId, drain, Reason.OPERATOR, !drain && running));
  }

  /**
   * The forecast's newest answer: exactly {@code goingAway} is drained for the scale-in from now.
   *
   * @param running the defenders running now (undrained ones among them rejoin)
   */
  public List<Change> scaleIn(Set<String> goingAway, Collection<String> running) {
    List<Change> changes = new ArrayList<>();
    for (String defender : List.copyOf(forScaleIn)) {
      if (!goingAway.contains(defender)) {
        forScaleIn.remove(defender);
        version++;
        if (!byOperator.contains(defender)) {
          changes.add(new Change(defender, false, Reason.SCALE_IN, running.contains(defender)));
        }
      }
    }
    for (String defender : goingAway) {
      if (forScaleIn.add(defender)) {
        version++;
        if (!byOperator.contains(defender)) {
          changes.add(new Change(defender, true, Reason.SCALE_IN, false));
        }
      }
    }
    return changes;
  }
}
