package io.chamberlain.system.live.scenario;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AssignmentView;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.Movement;
import io.chamberlain.system.live.NatsCluster;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import io.chamberlain.testkit.TestTimeouts;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * NATS as a 3-server JetStream cluster, every stream and KV bucket at 3 replicas
 * ({@code nats.replicas}), the nodes given all three URLs. Under the standard load (1 gateway, 2
 * workers) the server leading the completions stream — found through JetStream, not guessed — dies
 * by SIGKILL; the other two elect a new leader and carry on. Then it comes back on its store.
 *
 * <p>Invariants: every stream and bucket the nodes created has 3 replicas; every event acked by
 * JetStream gets exactly one verdict, in order, with exclusive ownership; nothing was dead-lettered;
 * the completions stream has a new leader while the old one is down; after the restart every
 * stream is whole again (a leader and two current replicas). Targets: no chamber changes home (no
 * node lost NATS for long), no SLA breach.
 */
public final class NatsClusterScenario extends LiveScenario {

  private static final Set<String> DEFENDERS = Set.of("defender-1", "defender-2");
  private static final int SERVERS = 3;

  public NatsClusterScenario(Profile profile) {
    super(profile, "nats-cluster", "3 nats-servers at R3: SIGKILL of the completions stream's leader, then back",
        "—", "—", "nothing lost; no breach");
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withWorkerSlots(2).withNatsServers(SERVERS);
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) throws Exception {
    List<ChamberKey> chambers = chambers();
    startCluster(cluster, chambers, DEFENDERS);
    NatsCluster nats = cluster.natsCluster();
    try (Load load = Load.start(cluster, chambers, rate()); Connection client = Nats.connect(cluster.natsUrl())) {
      load.awaitTraffic(4);
      Map<String, Integer> replicas = replicasOfEveryStream(client);
      result.detail("streams and their replicas", replicas);
      result.invariant("every stream and KV bucket at " + SERVERS + " replicas",
          !replicas.isEmpty() && replicas.values().stream().allMatch(r -> r == SERVERS), replicas.toString());
      AssignmentView homesBefore = homes(cluster);

      String leader = NatsCluster.streamLeader(client, Subjects.COMPLETIONS_STREAM);
      result.detail("killed nats-server", leader + " (leader of " + Subjects.COMPLETIONS_STREAM + ")");
      long killedAt = System.currentTimeMillis();
      nats.kill9(leader);
      String[] successor = {null};
      Await.until("a new leader of " + Subjects.COMPLETIONS_STREAM, TestTimeouts.seconds(30), () -> {
        successor[0] = leaderOrNull(client);
        return successor[0] != null && !successor[0].equals(leader);
      });
      result.recovery("new stream leader", successor[0] + " after " + (System.currentTimeMillis() - killedAt) + " ms");
      load.awaitTraffic(6);

      nats.restart(leader);
      long backAt = System.currentTimeMillis();
      boolean whole = awaitWhole(client, replicas.keySet());
      result.invariant("every stream whole again after " + leader + " came back (a leader, " + (SERVERS - 1)
          + " current replicas)", whole, whole ? "current " + (System.currentTimeMillis() - backAt) + " ms after" : "not current");
      load.awaitTraffic(4);

      Load.Outcome outcome = load.audit(cluster, result);
      Set<ChamberKey> moved = Movement.moved(homesBefore.owners(), homes(cluster).owners());
      result.measure(ScenarioResult.Column.MOVED, moved.size());
      result.target("no chamber changed home", moved.isEmpty(), moved.size() + " moved: " + moved);
      result.detail("publishes retried by the collector", load.publisher().failures());
      long deadLettered = cluster.api().stats().getLong("deadLettered");
      result.invariant("nothing was dead-lettered", deadLettered == 0, deadLettered + " dead letters");
      slaTarget(result, outcome.latencies());
    }
  }

  private static String leaderOrNull(Connection client) {
    try {
      return NatsCluster.streamLeader(client, Subjects.COMPLETIONS_STREAM);
    } catch (IOException | JetStreamApiException | IllegalStateException noLeaderYet) {
      return null;
    }
  }

  private static boolean awaitWhole(Connection client, Set<String> streams) {
    try {
      Await.until("every stream current on all " + SERVERS + " servers", TestTimeouts.seconds(60), () -> {
        for (String stream : streams) {
          try {
            if (!NatsCluster.streamCurrent(client, stream, SERVERS)) {
              return false;
            }
          } catch (IOException | JetStreamApiException notYet) {
            return false;
          }
        }
        return true;
      });
      return true;
    } catch (Await.TimeoutException notWhole) {
      return false;
    }
  }

  /** Every stream (KV buckets and object stores are streams too) and its replica count. */
  private static Map<String, Integer> replicasOfEveryStream(Connection client) {
    try {
      JetStreamManagement jsm = client.jetStreamManagement();
      Map<String, Integer> replicas = new TreeMap<>();
      for (String stream : jsm.getStreamNames()) {
        replicas.put(stream, jsm.getStreamInfo(stream).getConfiguration().getReplicas());
      }
      return replicas;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JetStreamApiException e) {
      throw new IllegalStateException("cannot list the streams: " + e.getMessage(), e);
    }
  }
}
