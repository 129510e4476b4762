package io.chamberlain.gateway;

import io.github.resilience4j.core.IntervalFunction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * In-flight events the ingestion could not route yet: the chamber has no owner, the owner does not
 * serve it yet (restarting, still deploying the chamber, holding an older assignment), or the owner
 * is gone. Nothing is wrong with such an event, so it is not handed back to JetStream (where a
 * redelivery back-off would add seconds to the chamber's pause); it stays in flight at the head of
 * its chamber's lane — the events behind it wait in order — and is routed again:
 * <ul>
 *   <li>at once when something changes that may give it a route — a new assignment that routes it
 *       elsewhere than to the defender it waits for ({@link #routedElsewhere}), or a heartbeat of
 *       the defender it waits for ({@link #waitingFor});
 *   <li>otherwise when its back-off is due ({@link #due}): {@code first}, doubling per attempt
 *       ({@link #MULTIPLIER}) up to {@code max} — Resilience4j's exponential {@link IntervalFunction}
 *       — so a chamber nobody can take for minutes costs a few tries per second.
 * </ul>
 * Each reason is counted once per event ({@link #park} says when), not once per try.
 *
 * <p>Single-threaded (the ingestion verticle's event loop). Pure: time is passed in.
 *
 * @param <T> the event as the caller tracks it
 */
final class Reroutes<T> {

  private record Waiting(String owner, String reason, long dueAt) {
  }

  private record History(int attempts, String lastReason) {
  }

  /** Each try of the same event doubles its back-off. */
  static final double MULTIPLIER = 2;

  private final IntervalFunction delays;
  private final Map<T, Waiting> waiting = new LinkedHashMap<>();
  private final Map<T, History> history = new HashMap<>();

  Reroutes(long firstMillis, long maxMillis) {
    if (firstMillis <= 0 || maxMillis < firstMillis) {
      throw new IllegalArgumentException("reroute back-off must satisfy 0 < first (" + firstMillis
          + " ms) ≤ max (" + maxMillis + " ms)");
    }
    this.delays = IntervalFunction.ofExponentialBackoff(firstMillis, MULTIPLIER, maxMillis);
  }

  /**
   * Parks {@code event}, which could not be routed to {@code owner} ({@code null}: no owner yet).
   *
   * @return true if this is the first time the event waits for this reason (count it)
   */
  boolean park(T event, String owner, String reason, long nowMillis) {
    Objects.requireNonNull(reason, "reason");
    History previous = history.getOrDefault(event, new History(0, null));
    int attempt = previous.attempts() + 1;
    history.put(event, new History(attempt, reason));
    long delay = delays.apply(attempt);
    waiting.put(event, new Waiting(owner, reason, nowMillis + delay));
    return !reason.equals(previous.lastReason());
  }

  /** Removes and returns every waiting event whose back-off is due. */
  List<T> due(long nowMillis) {
    return take(entry -> entry.dueAt() <= nowMillis);
  }

  /** Removes and returns every waiting event that waits for {@code owner} (it just showed up). */
  List<T> waitingFor(String owner) {
    return take(entry -> owner.equals(entry.owner()));
  }

  /**
   * The assignment changed: removes and returns every waiting event whose route now differs from
   * the defender it waits for ({@code routeOf} gives its route now, {@code null} for none). An event
   * still routed to the defender it waits for keeps waiting for that defender's heartbeat: trying it
   * again at every new epoch (a burst of new chambers brings many) would only be refused again.
   */
  List<T> routedElsewhere(java.util.function.Function<T, String> routeOf) {
    List<T> taken = new ArrayList<>();
    waiting.entrySet().removeIf(entry -> {
      String route = routeOf.apply(entry.getKey());
      if (route != null && !route.equals(entry.getValue().owner())) {
        taken.add(entry.getKey());
        return true;
      }
      return false;
    });
    return taken;
  }

  /** Removes and returns every waiting event (on a whole-assignment refresh: every route may have changed). */
  List<T> all() {
    return take(entry -> true);
  }

  /** The event left flight for good (acked, handed back, dead-lettered): forget its attempts. */
  void forget(T event) {
    waiting.remove(event);
    history.remove(event);
  }

  int size() {
    return waiting.size();
  }

  private List<T> take(java.util.function.Predicate<Waiting> which) {
    List<T> taken = new ArrayList<>();
    waiting.entrySet().removeIf(entry -> {
      if (which.test(entry.getValue())) {
        taken.add(entry.getKey());
        return true;
      }
      return false;
    });
    return taken;
  }
}
