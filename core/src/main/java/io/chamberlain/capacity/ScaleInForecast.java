package io.chamberlain.capacity;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which defenders a StatefulSet scale-in is about to remove, so the leader can drain them first and
 * no event waits for a defender that is going away.
 *
 * <p>The autoscaler sets the replicas to {@code defenders_needed} (HPA: external metric,
 * {@code AverageValue 1}), but only after a scale-down stabilization window: it scales in to the
 * largest need it saw in that window. A StatefulSet of {@code n} replicas keeps the pods of
 * ordinals {@code 0 … n-1} — so the pods going away are those whose ordinal is at least the largest
 * need of the window (and at least the autoscaler's minimum). This forecast keeps the need of the last {@code windowMillis} (set it below
 * the HPA's window, so drains finish first) and names the defenders whose id ends in such an
 * ordinal ({@code chamberlain-worker-41}: 41). Like the HPA, it ignores a need within
 * {@link #TOLERANCE} of the replicas (the HPA keeps them, so draining would only idle pods). Ids
 * without an ordinal are never named, and nothing
 * is named until the forecast has watched a whole window (a new leader knows no history). A need
 * that grows takes effect at once — the named defenders are undrained as the autoscaler adds pods.
 * Pure; the caller passes the time.
 */
public final class ScaleInForecast {

  /** The HPA's default tolerance ({@code --horizontal-pod-autoscaler-tolerance}): no scale within ±10 %. */
  public static final double TOLERANCE = 0.1;

  private final long windowMillis;
  private final int minReplicas;
  /** (time, need) of every plan in the window, oldest first; the newest always kept. */
  private final Deque<long[]> needs = new ArrayDeque<>();
  private long watchingSince = -1;

  /**
   * @param windowMillis how long a need keeps its pods; must be > 0
   * @param minReplicas the autoscaler's minimum: ordinals below it never go
   */
  public ScaleInForecast(long windowMillis, int minReplicas) {
    if (windowMillis <= 0 || minReplicas < 0) {
      throw new IllegalArgumentException("the scale-in window must be > 0 ms and the minimum ≥ 0, were " + windowMillis
          + ", " + minReplicas);
    }
    this.windowMillis = windowMillis;
    this.minReplicas = minReplicas;
  }

  /**
   * @param defendersNeeded the newest plan's need
   * @param defenders the defenders running now
   * @return those the autoscaler will remove if the need stays as in the window; empty until a whole
   *     window was watched (no opinion yet: drains a previous leader made stand)
   */
  public Optional<Set<String>> goingAway(long nowMillis, int defendersNeeded, Collection<String> defenders) {
    if (watchingSince < 0) {
      watchingSince = nowMillis;
    }
    needs.addLast(new long[] {nowMillis, defendersNeeded});
    while (needs.size() > 1 && needs.peekFirst()[0] < nowMillis - windowMillis) {
      needs.removeFirst();
    }
    Set<String> going = new TreeSet<>();
    if (nowMillis - watchingSince < windowMillis) {
      return Optional.empty();
    }
    long kept = needs.stream().mapToLong(need -> need[1]).max().orElseThrow();
    long replicas = defenders.stream().filter(defender -> ordinalOf(defender) >= 0).count();
    if (kept >= replicas * (1 - TOLERANCE)) {
      return Optional.of(going);
    }
    long stay = Math.max(kept, minReplicas);
    for (String defender : defenders) {
      long ordinal = ordinalOf(defender);
      if (ordinal >= 0 && ordinal >= stay) {
        going.add(defender);
      }
    }
    return Optional.of(going);
  }

  /** The StatefulSet ordinal a pod name ends in ({@code name-12}: 12), or -1. */
  static long ordinalOf(String defenderId) {
    int dash = defenderId.lastIndexOf('-');
    if (dash < 0 || dash == defenderId.length() - 1 || defenderId.length() - dash > 10) {
      return -1;
    }
    for (int i = dash + 1; i < defenderId.length(); i++) {
      char c = defenderId.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return Long.parseLong(defenderId.substring(dash + 1));
  }
}
