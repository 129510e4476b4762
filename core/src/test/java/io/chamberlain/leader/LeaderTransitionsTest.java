package io.chamberlain.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.leader.LeaderDecision.StateChanged;
import io.chamberlain.leader.LeaderInput.DefenderJoined;
import io.chamberlain.leader.LeaderInput.DefenderLost;
import io.chamberlain.leader.LeaderInput.RestartAnnounced;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every legal transition the leader can take, each reached through real inputs on a fake clock.
 * Starts from 5 defenders, settled (STABLE) at t = 3 s; defender-4 is the one that misbehaves.
 */
class LeaderTransitionsTest {

  private static final List<String> ALL = List.of("defender-0", "defender-1", "defender-2", "defender-3",
      "defender-4");
  private static final List<String> HEALTHY = ALL.subList(0, 4);

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of("cold start settles", (Consumer<LeaderHarness>) h -> {
        }, "COLD_START→STABLE"),
        Arguments.of("restart announced during cold start", (Consumer<LeaderHarness>) h -> {
        }, null),
        Arguments.of("join batches, then settles", (Consumer<LeaderHarness>) h -> {
          h.send(new DefenderJoined(4_000, "defender-9", "v1", 1.0));
          h.heartbeatUntil(8_000, List.of("defender-0", "defender-1", "defender-2", "defender-3", "defender-4",
              "defender-9"));
        }, "COLD_START→STABLE, STABLE→SCALING, SCALING→STABLE"),
        Arguments.of("crash, then recovered", (Consumer<LeaderHarness>) h -> {
          h.send(new DefenderLost(4_000, "defender-4", "member removed"));
          h.heartbeatUntil(8_000, HEALTHY);
        }, "COLD_START→STABLE, STABLE→EMERGENCY, EMERGENCY→STABLE"),
        Arguments.of("join right after a crash", (Consumer<LeaderHarness>) h -> {
          h.send(new DefenderLost(4_000, "defender-4", "member removed"));
          // Its scaling window outlasts the 1 s of EMERGENCY (a shorter one completes inside it).
          h.send(new DefenderJoined(4_900, "defender-9", "v1", 1.0));
          h.heartbeatUntil(8_000, List.of("defender-0", "defender-1", "defender-2", "defender-3", "defender-9"));
        }, "COLD_START→STABLE, STABLE→EMERGENCY, EMERGENCY→SCALING, SCALING→STABLE"),
        Arguments.of("restart pending when the emergency ends", (Consumer<LeaderHarness>) h -> {
          h.send(new DefenderLost(4_000, "defender-4", "member removed"));
          h.send(new RestartAnnounced(4_100, "defender-3"));
          h.heartbeatUntil(6_000, ALL.subList(0, 3));
          h.send(new DefenderJoined(6_000, "defender-3", "v2", 1.0));
          h.heartbeatUntil(8_000, HEALTHY);
        }, "COLD_START→STABLE, STABLE→EMERGENCY, EMERGENCY→ROLLING_UPDATE, ROLLING_UPDATE→STABLE"),
        Arguments.of("crash during a scaling window", (Consumer<LeaderHarness>) h -> {
          h.send(new DefenderJoined(4_000, "defender-9", "v1", 1.0));
          h.send(new DefenderLost(4_100, "defender-4", "member removed"));
          h.heartbeatUntil(8_000, List.of("defender-0", "defender-1", "defender-2", "defender-3", "defender-9"));
        }, "COLD_START→STABLE, STABLE→SCALING, SCALING→EMERGENCY, EMERGENCY→STABLE"),
        Arguments.of("restart announced during a scaling window", (Consumer<LeaderHarness>) h -> {
          h.send(new DefenderJoined(4_000, "defender-9", "v1", 1.0));
          h.send(new RestartAnnounced(4_100, "defender-4"));
          h.heartbeatUntil(6_000, List.of("defender-0", "defender-1", "defender-2", "defender-3", "defender-9"));
          h.send(new DefenderJoined(6_000, "defender-4", "v2", 1.0));
          h.heartbeatUntil(8_000, List.of("defender-0", "defender-1", "defender-2", "defender-3", "defender-4",
              "defender-9"));
        }, "COLD_START→STABLE, STABLE→SCALING, SCALING→ROLLING_UPDATE, ROLLING_UPDATE→STABLE"),
        Arguments.of("join during a rolling update", (Consumer<LeaderHarness>) h -> {
          h.send(new RestartAnnounced(4_000, "defender-4"));
          h.send(new DefenderJoined(4_100, "defender-9", "v1", 1.0));
          h.heartbeatUntil(6_000, List.of("defender-0", "defender-1", "defender-2", "defender-3", "defender-9"));
          h.send(new DefenderJoined(6_000, "defender-4", "v2", 1.0));
          h.heartbeatUntil(8_000, List.of("defender-0", "defender-1", "defender-2", "defender-3", "defender-4",
              "defender-9"));
        }, "COLD_START→STABLE, STABLE→ROLLING_UPDATE, ROLLING_UPDATE→SCALING, SCALING→ROLLING_UPDATE,"
            + " ROLLING_UPDATE→STABLE"),
        Arguments.of("restart grace expires", (Consumer<LeaderHarness>) h -> {
          h.send(new RestartAnnounced(4_000, "defender-4"));
          h.heartbeatUntil(4_000 + LeaderTuning.DEFAULT_RESTART_GRACE_MILLIS + 3_000, HEALTHY);
        }, "COLD_START→STABLE, STABLE→ROLLING_UPDATE, ROLLING_UPDATE→EMERGENCY, EMERGENCY→STABLE"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void transitions(String name, Consumer<LeaderHarness> scenario, String expected) {
    LeaderHarness h = LeaderHarness.coldStart(LeaderHarness.chambers(200));
    for (String id : ALL) {
      h.send(new DefenderJoined(10, id, "v1", 1.0));
    }
    if (expected == null) { // restart announced while the cold start is still batching
      h.send(new RestartAnnounced(100, "defender-4"));
      h.heartbeatUntil(3_000, HEALTHY);
      assertEquals("COLD_START→ROLLING_UPDATE", path(h));
      return;
    }
    h.heartbeatUntil(3_000, ALL);
    scenario.accept(h);
    assertEquals(expected, path(h));
  }

  private static String path(LeaderHarness h) {
    List<String> steps = new ArrayList<>();
    for (StateChanged change : h.stateChanges()) {
      steps.add(change.from() + "→" + change.to());
    }
    return String.join(", ", steps);
  }
}
