package io.chamberlain.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.leader.DefenderStatus;
import io.chamberlain.leader.LeaderInput;
import io.chamberlain.nats.LeaderMemo;
import io.chamberlain.wire.Heartbeat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How heartbeats become leader inputs, and what the directory hands the next leader. */
class DefenderDirectoryTest {

  private final DefenderDirectory directory = new DefenderDirectory(LeaderMemo.EMPTY);

  @Test
  void aNewDefenderJoinsAndAnUnchangedLiveOneJustHeartbeats() {
    assertInstanceOf(LeaderInput.DefenderJoined.class, input(beat("d1", "v1", "node-a"), null));
    assertInstanceOf(LeaderInput.HeartbeatReceived.class, input(beat("d1", "v1", "node-a"), DefenderStatus.LIVE));
    assertInstanceOf(LeaderInput.DefenderJoined.class, input(beat("d1", "v2", "node-a"), DefenderStatus.LIVE),
        "a new version is an unannounced restart: a join of the same id");
    assertInstanceOf(LeaderInput.DefenderJoined.class, input(beat("d1", "v2", "node-b"), DefenderStatus.LIVE),
        "a new node too");
    assertInstanceOf(LeaderInput.DefenderJoined.class, input(beat("d1", "v2", "node-b"), DefenderStatus.DEAD),
        "a dead one coming back is new capacity");
  }

  @Test
  void aRestartingDefenderIsBackOnlyFromAnotherNodeThanItAnnouncedFrom() {
    input(beat("d1", "v1", "node-a"), null);
    directory.restartAnnounced("d1", "node-a");
    assertTrue(directory.heartbeat(beat("d1", "v1", "node-a"), DefenderStatus.RESTARTING, 0).isEmpty(),
        "the old process, still draining, is not its return");
    assertInstanceOf(LeaderInput.DefenderJoined.class, input(beat("d1", "v1", "node-c"), DefenderStatus.RESTARTING));
  }

  @Test
  void liveDefendersOnALostNodeAndTheMemoForTheNextLeader() {
    input(beat("d1", "v1", "node-a"), null);
    input(beat("d2", "v1", "node-b"), null);
    input(beat("d3", "v1", "node-a"), null);
    directory.restartAnnounced("d3", "node-a");
    Map<String, DefenderStatus> statuses = Map.of("d1", DefenderStatus.LIVE, "d2", DefenderStatus.LIVE,
        "d3", DefenderStatus.RESTARTING);
    assertEquals(List.of("d1"), directory.liveOn(Set.of("node-a"), statuses), "a held restart is not lost with its node");

    LeaderMemo memo = directory.memo(new TreeMap<>(Map.of("d3", 30_000L)), Set.of("d1", "d3"));
    assertEquals(Map.of("d3", new LeaderMemo.RestartHold(30_000, "node-a")), memo.restartHolds());
    assertEquals(Map.of("d1", "node-a", "d3", "node-a"), memo.defenderNodes(), "only defenders the leader lists");

    DefenderDirectory next = new DefenderDirectory(memo);
    assertEquals(Set.of("node-a"), next.knownNodes());
    assertTrue(next.heartbeat(beat("d3", "v1", "node-a"), DefenderStatus.RESTARTING, 0).isEmpty(),
        "the next leader also knows where the restart was announced from");
  }

  private LeaderInput input(Heartbeat heartbeat, DefenderStatus status) {
    return directory.heartbeat(heartbeat, status, 1_000).orElseThrow();
  }

  private static Heartbeat beat(String id, String version, String node) {
    return new Heartbeat(id, version, 1.0, node, 0, 0, 0, Map.of(), 0, 0, 0, Map.of());
  }
}
