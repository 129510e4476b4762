package io.chamberlain.system.live.soak;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which fault comes when in a soak: one every {@code interval} from {@code interval / 2} on, the
 * kinds drawn from a seeded random order in rounds — each round every {@link FaultKind} once,
 * shuffled — so a run of six faults has met every kind and a 30-minute run meets each five times,
 * in an order no one chose. The same seed gives the same schedule (a failing run can be replayed).
 */
public final class FaultSchedule {

  /** One planned fault: its kind and when, in ms after the soak's start. */
  public record Fault(FaultKind kind, long atMillis) {
  }

  private FaultSchedule() {
  }

  public static List<Fault> plan(long seed, long durationMillis, long intervalMillis) {
    return plan(seed, durationMillis, intervalMillis, java.util.EnumSet.allOf(FaultKind.class));
  }

  /** A plan drawing from {@code kinds} only, in rounds of each of them once. */
  public static List<Fault> plan(long seed, long durationMillis, long intervalMillis, java.util.Set<FaultKind> kinds) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("a soak needs at least one kind of fault");
    }
    if (intervalMillis <= 0 || durationMillis <= 0) {
      throw new IllegalArgumentException("duration and interval must be positive: " + durationMillis + ", "
          + intervalMillis);
    }
    Random random = new Random(seed);
    List<Fault> faults = new ArrayList<>();
    List<FaultKind> round = new ArrayList<>();
    for (long at = intervalMillis / 2; at < durationMillis; at += intervalMillis) {
      if (round.isEmpty()) {
        round.addAll(new java.util.TreeSet<>(kinds));
        Collections.shuffle(round, random);
      }
      faults.add(new Fault(round.remove(0), at));
    }
    return List.copyOf(faults);
  }
}
