package io.chamberlain.gateway;

import io.chamberlain.domain.ChamberKey;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * When an event handed back to JetStream ({@code nak}) comes again, and when its defense process
 * has failed often enough to be dead-lettered. Pure bookkeeping by stream sequence; time is passed in.
 *
 * <ul>
 *   <li>The head of a chamber (the event that could not be done) backs off: {@code first}, doubling
 *       per hand-back ({@link #MULTIPLIER}), up to {@code max} — Resilience4j's exponential
 *       {@link IntervalFunction}.
 *   <li>Events queued behind it are handed back too (order) and come again just after it
 *       ({@link #followerDelay}), so they do not climb a back-off ladder of their own while their
 *       chamber waits — a backlog once made every event wait ≈ 13 s this way.
 *   <li>Failed defense processes are counted per event; {@code maxAttempts} failures exhaust it.
 * </ul>
 * Single-threaded (the ingestion verticle's event loop).
 */
final class RedeliveryPlan {

  /** Followers come back this much after the event they wait for, so they find it done. */
  static final Duration FOLLOWER_EXTRA_DELAY = Duration.ofMillis(100);
  /** Each hand-back of the same event doubles its delay. */
  static final double MULTIPLIER = 2;

  private final long firstMillis;
  private final IntervalFunction headDelays;
  private final int maxAttempts;
  private final Map<Long, Integer> handBacks = new HashMap<>();
  private final Map<Long, Integer> failures = new HashMap<>();
  /** When each chamber's head is due back; a past time simply means "soon". */
  private final Map<ChamberKey, Long> headBackAt = new HashMap<>();

  RedeliveryPlan(Duration first, Duration max, int maxAttempts) {
    if (first.toMillis() < 1 || max.compareTo(first) < 0 || maxAttempts < 1) {
      throw new IllegalArgumentException("redelivery needs 1 ms ≤ first (" + first + ") ≤ max (" + max
          + ") and ≥ 1 attempt (" + maxAttempts + ")");
    }
    this.firstMillis = first.toMillis();
    this.headDelays = IntervalFunction.ofExponentialBackoff(first, MULTIPLIER, max);
    this.maxAttempts = maxAttempts;
  }

  /** The head event {@code sequence} of {@code chamber} is handed back now: how long until it comes again. */
  Duration handBack(ChamberKey chamber, long sequence, long nowMillis) {
    int attempt = handBacks.merge(sequence, 1, Integer::sum);
    long millis = headDelays.apply(attempt);
    headBackAt.put(chamber, nowMillis + millis);
    return Duration.ofMillis(millis);
  }

  /** Delay for an event deferred behind its chamber's head: just after the head is due back. */
  Duration followerDelay(ChamberKey chamber, long nowMillis) {
    long dueIn = headBackAt.getOrDefault(chamber, 0L) - nowMillis;
    return Duration.ofMillis(Math.max(firstMillis, dueIn)).plus(FOLLOWER_EXTRA_DELAY);
  }

  /** Counts a failed defense process for {@code sequence}; true once it has failed {@code maxAttempts} times. */
  boolean failedAndExhausted(long sequence) {
    return failures.merge(sequence, 1, Integer::sum) >= maxAttempts;
  }

  int failures(long sequence) {
    return failures.getOrDefault(sequence, 0);
  }

  /** The event is done for good (acked or dead-lettered). */
  void forget(long sequence) {
    handBacks.remove(sequence);
    failures.remove(sequence);
  }
}
