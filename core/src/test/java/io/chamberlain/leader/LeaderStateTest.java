package io.chamberlain.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaderStateTest {

  private static final Map<LeaderState, Set<LeaderState>> LEGAL = Map.of(
      LeaderState.COLD_START, EnumSet.of(LeaderState.STABLE, LeaderState.ROLLING_UPDATE),
      LeaderState.STABLE, EnumSet.of(LeaderState.SCALING, LeaderState.ROLLING_UPDATE, LeaderState.EMERGENCY),
      LeaderState.SCALING, EnumSet.of(LeaderState.STABLE, LeaderState.ROLLING_UPDATE, LeaderState.EMERGENCY),
      LeaderState.ROLLING_UPDATE, EnumSet.of(LeaderState.STABLE, LeaderState.SCALING, LeaderState.EMERGENCY),
      LeaderState.EMERGENCY, EnumSet.of(LeaderState.STABLE, LeaderState.SCALING, LeaderState.ROLLING_UPDATE));

  @Test
  void everyPairIsLegalExactlyAsSpecified() {
    for (LeaderState from : LeaderState.values()) {
      for (LeaderState to : LeaderState.values()) {
        if (LEGAL.get(from).contains(to)) {
          assertEquals(to, from.moveTo(to));
        } else {
          IllegalStateException e = assertThrows(IllegalStateException.class, () -> from.moveTo(to));
          assertTrue(e.getMessage().contains(from + " → " + to), e.getMessage());
        }
      }
    }
  }

  @Test
  void nothingReturnsToColdStart() {
    for (LeaderState from : LeaderState.values()) {
      assertTrue(!from.canMoveTo(LeaderState.COLD_START), from + " may not return to COLD_START");
    }
  }
}
