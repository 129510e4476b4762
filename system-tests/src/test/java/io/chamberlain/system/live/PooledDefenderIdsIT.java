package io.chamberlain.system.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.testkit.TestTimeouts;
import io.chamberlain.tools.launch.NodeProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * docker compose's path on real processes: workers started without an id of their own
 * ({@code defender.idPool.size}) claim distinct defender ids; one is recreated — SIGTERM, exit, a
 * new process started — and the new process claims the id the old one released, so the leader sees
 * the same defender come back and no chamber's home changes.
 */
class PooledDefenderIdsIT {

  private static final Pattern CLAIMED = Pattern.compile("claimed \\[(defender-\\d+)\\]");
  private static final Duration SETTLE = TestTimeouts.seconds(120);

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void aRecreatedWorkerClaimsItsIdBackAndNoHomeChanges() {
    List<ChamberKey> chambers = IntStream.range(0, 24).mapToObj(i -> new ChamberKey("tool" + (i / 4), "" + (i % 4 + 1)))
        .toList();
    try (ProcessCluster cluster = ProcessCluster.create("pooled-ids", ClusterOptions.of(Profile.TEST).withWorkerSlots(3))) {
      cluster.startNats();
      cluster.startGateway(chambers);
      NodeProcess a = cluster.startPooledWorker("container-a", 8);
      NodeProcess b = cluster.startPooledWorker("container-b", 8);
      cluster.awaitSettled(Set.of("defender-1", "defender-2"), SETTLE);
      String idOfB = claimedBy(b);
      assertNotEquals(claimedBy(a), idOfB);
      Map<ChamberKey, String> homesBefore = cluster.api().assignments().owners();

      b.terminate();
      assertEquals(NodeProcess.EXIT_SIGTERM, b.awaitExit(TestTimeouts.seconds(60)), "a graceful stop; see " + b.log());
      NodeProcess recreated = cluster.startPooledWorker("container-b-recreated", 8);
      Await.until("the recreated worker claimed an id", SETTLE, () -> recreated.findInLog(CLAIMED).isPresent());
      assertEquals(idOfB, claimedBy(recreated), "the released id goes to the recreated worker");
      cluster.awaitSettled(Set.of("defender-1", "defender-2"), SETTLE);
      assertEquals(homesBefore, cluster.api().assignments().owners(), "the same defender came back: no home changed");
    }
  }

  private static String claimedBy(NodeProcess worker) {
    return worker.findInLog(CLAIMED).orElseThrow(() -> new AssertionError(worker.name() + " claimed no id; see "
        + worker.log()));
  }
}
