package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.config.GatewayConfig;
import io.chamberlain.config.NatsSettings;
import io.chamberlain.config.LeaderSettings;
import io.chamberlain.config.WorkerConfig;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.gateway.GatewayNode;
import io.chamberlain.nats.NatsLease;
import io.chamberlain.system.live.AuditReport;
import io.chamberlain.system.live.SteadyPublisher;
import io.chamberlain.system.live.VerdictAuditor;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.testkit.TestClusters;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.Heartbeat;
import io.chamberlain.wire.Subjects;
import io.chamberlain.worker.WorkerNode;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a network partition between two groups of nodes ({@link NetworkPartition}: Hazelcast and
 * the event bus cut, NATS reachable from both), held while a collector publishes, then healed.
 *
 * <p>Five nodes: gateway 1 (ingests the lane) with defenders 1 and 2 on one side, gateway 2 (leads:
 * the ingesting gateway steps aside) with defender 3 on the other — the leader is cut off on the
 * smaller side, and both sides have a leader candidate, a gateway and defenders. Both sides keep at
 * least {@code leader.minClusterMembers} (2). Asserted, as invariants:
 * <ul>
 *   <li>at most one leader writes: in the assignment's KV history no write of an older term lands
 *       after a newer one, and the lease does not change hands back and forth while split;</li>
 *   <li>no chamber is processed by two defenders at once, nothing is lost or judged twice
 *       ({@link VerdictAuditor}: exactly once, per-chamber order, exclusive ownership, state continuity);</li>
 *   <li>healed, the cluster converges: one member list, one leader both gateways name, every chamber
 *       owned by a live defender, and every defender holding the persisted epoch.</li>
 * </ul>
 */
class NetworkPartitionIT {

  private static final int CHAMBERS = 12;
  private static final double EVENTS_PER_SECOND = 20;
  /** Events published while split, after both sides dropped each other: several leader ticks and lease expiries. */
  private static final int EVENTS_WHILE_SPLIT = 160;

  @Test
  void aSplitKeepsOneWritingLeaderAndExclusiveChambersAndHealsIntoOneCluster() throws Exception {
    Path catalog = Files.createTempFile("chambers-", ".yaml");
    NetworkPartition partition = new NetworkPartition();
    List<GatewayNode> gateways = new ArrayList<>();
    List<WorkerNode> workers = new ArrayList<>();
    try (NatsTestServer nats = NatsTestServer.start(); Connection client = Nats.connect(nats.url())) {
      StringBuilder yaml = new StringBuilder("chambers:\n");
      List<ChamberKey> chambers = IntStream.rangeClosed(1, CHAMBERS).mapToObj(i -> new ChamberKey("tool1", "c" + i)).toList();
      chambers.forEach(c -> yaml.append("  - { tool: tool1, chamber: ").append(c.chamberId())
          .append(", svidCount: 20, hz: 1, contextSeconds: 60 }\n"));
      Files.writeString(catalog, yaml);
      TestClusters cluster = new TestClusters(5);
      LeaderSettings leads = new LeaderSettings(true, catalog.toString(), InJvmCluster.FAST, AssignmentTuning.DEFAULT);
      LeaderSettings follows = new LeaderSettings(false, catalog.toString(), InJvmCluster.FAST, AssignmentTuning.DEFAULT);

      // Gateway 1 first: it takes the lane, and hands leadership to gateway 2 once that one is up.
      gateways.add(startGateway(cluster, 0, nats.url(), leads, partition));
      for (int i = 1; i <= 3; i++) {
        workers.add(startWorker(cluster, 1 + i, nats.url(), "defender-" + i, follows, partition));
      }
      gateways.add(startGateway(cluster, 1, nats.url(), leads, partition));
      List<String> allNodes = new ArrayList<>();
      gateways.forEach(g -> allNodes.add(g.node().clusterManager().getNodeId()));
      workers.forEach(w -> allNodes.add(w.node().clusterManager().getNodeId()));
      String g1 = allNodes.get(0);
      String g2 = allNodes.get(1);

      NatsLease lease = NatsLease.leader(client);
      List<Written> history = watchAssignment(client);
      List<String> holders = watchLeaseHolders(client);
      Map<String, Long> heldEpochs = new ConcurrentHashMap<>();
      gateways.get(0).node().vertx().eventBus().<JsonObject>consumer(Addresses.DEFENDER_HEARTBEAT, message -> {
        Heartbeat heartbeat = Heartbeat.fromJson(message.body());
        heldEpochs.put(heartbeat.defenderId(), heartbeat.heldEpoch());
      }).completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      await("gateway 2 leads and every defender serves the persisted epoch").atMost(seconds(60)).ignoreExceptions()
          .until(() -> g2.equals(lease.read().holderNode()) && converged(history, heldEpochs, chambers));

      try (SteadyPublisher publisher = SteadyPublisher.start(nats.url(), chambers, EVENTS_PER_SECOND)) {
        await("events flow").atMost(seconds(30)).until(() -> publisher.count() >= 20);
        Set<String> sideA = Set.of(g1, allNodes.get(2), allNodes.get(3));
        Set<String> sideB = Set.of(g2, allNodes.get(4));
        partition.split(sideA, sideB);
        await("each side dropped the other").atMost(seconds(60)).until(() -> memberCounts(gateways, workers)
            .equals(List.of(3, 2, 3, 3, 2)));
        int splitAt = history.size();
        int leaseWritesAtSplit = holders.size();
        int publishedAtSplit = publisher.count();
        await("events published while split").atMost(seconds(60)).until(() -> publisher.count() >= publishedAtSplit + EVENTS_WHILE_SPLIT);
        List<Written> whileSplit = List.copyOf(history.subList(splitAt, history.size()));
        List<String> holdersWhileSplit = List.copyOf(holders.subList(leaseWritesAtSplit, holders.size()));

        partition.heal();
        await("one member list again").atMost(seconds(90)).until(() -> memberCounts(gateways, workers)
            .equals(List.of(5, 5, 5, 5, 5)));
        await("one leader, every chamber owned, every defender on the persisted epoch").atMost(seconds(60))
            .ignoreExceptions().until(() -> {
              NatsLease.Seen seen = lease.read();
              return !seen.released() && allNodes.contains(seen.holderNode()) && converged(history, heldEpochs, chambers)
                  && sameLeaderNamed(gateways, seen.holderNode(), history.get(history.size() - 1).term());
            });
        await("events published after healing").atMost(seconds(30)).until(() -> publisher.count() >= publishedAtSplit
            + EVENTS_WHILE_SPLIT + 40);
        publisher.stop();

        assertTermsNeverGoBack(history);
        assertTrue(whileSplit.stream().map(Written::term).distinct().count() <= 2,
            "the assignment changed leaders back and forth while split: terms " + terms(whileSplit));
        assertTrue(holderChanges(holdersWhileSplit) <= 1,
            "the lease changed hands back and forth while split: " + holdersWhileSplit);
        assertTrue(partition.droppedMessages() > 0, "the event bus was cut (nothing dropped)");
        AuditReport audit = new VerdictAuditor(nats.url()).awaitAndAudit(publisher.published(), seconds(60));
        assertTrue(audit.clean(), "verdicts across the partition: " + audit.summary() + "\n"
            + String.join("\n", audit.violations()));
        assertEquals(0, audit.lost());
      }
    } finally {
      for (WorkerNode worker : workers) {
        stopQuietly(worker.stop());
      }
      for (GatewayNode gateway : gateways) {
        stopQuietly(gateway.stop());
      }
      Files.deleteIfExists(catalog);
    }
  }

  /** One landed write of the assignment entry: the writer's term and the epoch. */
  private record Written(long revision, long term, AssignmentSnapshot assignment) {
  }

  private static GatewayNode startGateway(TestClusters cluster, int index, String natsUrl, LeaderSettings leads,
      NetworkPartition partition) throws Exception {
    GatewayConfig config = new GatewayConfig(cluster.member(index), NatsSettings.plain(natsUrl), 1, "127.0.0.1",
        TestClusters.freePort(),
        new GatewayConfig.IngestSettings("memory", Duration.ofHours(1), 64L << 20, Duration.ofSeconds(10), 1000,
            Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(1_700), Duration.ofMillis(100),
            Duration.ofSeconds(1), 3, 1, GatewayConfig.IngestSettings.DEFAULT_MAX_EVENT_BYTES),
        InJvmCluster.ADMIN_TOKEN, Duration.ofSeconds(5), leads);
    GatewayNode gateway = GatewayNode.start(config, partition.memberFactory()).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    partition.add(gateway.node());
    return gateway;
  }

  private static WorkerNode startWorker(TestClusters cluster, int index, String natsUrl, String defenderId,
      LeaderSettings follows, NetworkPartition partition) throws Exception {
    WorkerConfig config = new WorkerConfig(cluster.member(index), NatsSettings.plain(natsUrl), 1, defenderId, "1.0.0", 1.0,
        Duration.ofMillis(InJvmCluster.FAST.heartbeatIntervalMillis()), Duration.ofSeconds(10), 2, "", 0.0, follows,
        "127.0.0.1", 0);
    WorkerNode worker = WorkerNode.start(config, partition.memberFactory()).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    partition.add(worker.node());
    return worker;
  }

  /** How many members each node sees: gateways first, then workers. */
  private static List<Integer> memberCounts(List<GatewayNode> gateways, List<WorkerNode> workers) {
    List<Integer> counts = new ArrayList<>();
    gateways.forEach(g -> counts.add(g.node().clusterManager().getHazelcastInstance().getCluster().getMembers().size()));
    workers.forEach(w -> counts.add(w.node().clusterManager().getHazelcastInstance().getCluster().getMembers().size()));
    return counts;
  }

  /** The newest persisted assignment owns every chamber by a defender, and every defender holds its epoch. */
  private static boolean converged(List<Written> history, Map<String, Long> heldEpochs, List<ChamberKey> chambers) {
    if (history.isEmpty()) {
      return false;
    }
    AssignmentSnapshot newest = history.get(history.size() - 1).assignment();
    Set<String> defenders = Set.of("defender-1", "defender-2", "defender-3");
    boolean owned = chambers.stream().allMatch(chamber -> newest.chambers().containsKey(chamber)
        && defenders.contains(newest.chambers().get(chamber).owner()));
    return owned && heldEpochs.keySet().containsAll(defenders)
        && defenders.stream().allMatch(defender -> heldEpochs.get(defender) == newest.epoch());
  }

  /** Both gateways' status APIs answer with one leader: {@code leaderNode}, in {@code term}. */
  private static boolean sameLeaderNamed(List<GatewayNode> gateways, String leaderNode, long term) throws Exception {
    for (GatewayNode gateway : gateways) {
      JsonObject status = new JsonObject(InJvmCluster.get(gateway.httpPort(), "/api/cluster").body());
      if (!leaderNode.equals(status.getString("leaderNode")) || status.getLong("term") != term) {
        return false;
      }
    }
    return true;
  }

  /** Every write of the assignment entry from now on, in KV order. */
  private static List<Written> watchAssignment(Connection client) throws Exception {
    List<Written> written = new CopyOnWriteArrayList<>();
    client.keyValue(Subjects.ASSIGNMENT_BUCKET).watch(Subjects.ASSIGNMENT_KEY, new KeyValueWatcher() {
      @Override
      public void watch(KeyValueEntry entry) {
        if (entry.getOperation() == KeyValueOperation.PUT) {
          JsonObject value = new JsonObject(Buffer.buffer(entry.getValue()));
          written.add(new Written(entry.getRevision(), value.getLong("term"),
              AssignmentSnapshot.fromJson(value.getJsonObject("assignment"))));
        }
      }

      @Override
      public void endOfData() {
      }
    });
    return written;
  }

  /** The lease's holder after each of its writes from now on, in KV order ("(released)" when let go). */
  private static List<String> watchLeaseHolders(Connection client) throws Exception {
    List<String> holders = new CopyOnWriteArrayList<>();
    client.keyValue(Subjects.ASSIGNMENT_BUCKET).watch(Subjects.LEADER_LEASE_KEY, new KeyValueWatcher() {
      @Override
      public void watch(KeyValueEntry entry) {
        if (entry.getOperation() == KeyValueOperation.PUT) {
          JsonObject value = new JsonObject(Buffer.buffer(entry.getValue()));
          holders.add(value.getString("node") + (value.getBoolean("released", false) ? " (released)" : ""));
        }
      }

      @Override
      public void endOfData() {
      }
    });
    return holders;
  }

  /** How often the lease went from one node to another. */
  private static int holderChanges(List<String> holders) {
    int changes = 0;
    for (int i = 1; i < holders.size(); i++) {
      if (!holders.get(i).split(" ")[0].equals(holders.get(i - 1).split(" ")[0])) {
        changes++;
      }
    }
    return changes;
  }

  private static void assertTermsNeverGoBack(List<Written> history) {
    for (int i = 1; i < history.size(); i++) {
      assertTrue(history.get(i).term() >= history.get(i - 1).term(),
          "a write of an older term landed after a newer one: " + terms(history));
      assertTrue(history.get(i).assignment().epoch() >= history.get(i - 1).assignment().epoch(),
          "the persisted epoch went back: " + history.get(i - 1) + " → " + history.get(i));
    }
  }

  private static List<String> terms(List<Written> writes) {
    return writes.stream().map(w -> w.term() + "/" + w.assignment().epoch()).toList();
  }

  private static void stopQuietly(java.util.concurrent.CompletionStage<Void> stopping) {
    try {
      stopping.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the other nodes and the server must still be stopped
    }
  }
}
