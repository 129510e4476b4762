package io.chamberlain.leader;

import io.chamberlain.leader.LeaderDecision.SetTimer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers which timer deadlines the leader already asked for, so a {@link SetTimer} is emitted
 * only when a deadline appears or changes. Cleared deadlines emit nothing: a stale firing is harmless.
 */
final class TimerBook {

  static final long NONE = Long.MAX_VALUE;

  private final Map<LeaderTimer, Long> announced = new EnumMap<>(LeaderTimer.class);

  void announce(LeaderTimer name, long atMillis, List<LeaderDecision> out) {
    if (atMillis == NONE) {
      announced.remove(name);
      return;
    }
    Long previous = announced.put(name, atMillis);
    if (previous == null || previous != atMillis) {
      out.add(new SetTimer(name, atMillis));
    }
  }
}
