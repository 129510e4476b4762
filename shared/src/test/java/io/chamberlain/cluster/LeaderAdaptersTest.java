package io.chamberlain.cluster;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.assign.ChamberWeights;
import io.chamberlain.config.LeaderSettings;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.leader.LeaderTuning;
import io.chamberlain.nats.AssignmentStore;
import io.chamberlain.nats.NatsLease;
import io.chamberlain.nats.LeaderMemo;
import io.chamberlain.testkit.TestingCluster;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.AssignmentDelta;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.Heartbeat;
import io.chamberlain.wire.Subjects;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The leader's adapters on the test kit ({@link TestingCluster}: clustered Vert.x nodes in this JVM,
 * a real nats-server, a clock per node): the fence holds at the publisher, a deposed leader steps
 * down, a leader cut down to a minority lets go, a node that slept through its own stall sits
 * out before it campaigns, and so does a leader nobody could reach.
 */
class LeaderAdaptersTest {

  /** Heartbeats every 500 ms, dead after 3 s. */
  private static final LeaderTuning FAST = fastTuning();
  /**
   * How long a stepping-down leader may take to stop before its lease goes anyway: a node allows
   * {@link LeaderElection#STOP_BOUND} (10 s); a leader that never stops is let go of as surely after 1 s.
   */
  private static final Duration SHORT_STOP_BOUND = seconds(1);

  @Test
  void aPublisherWritesInOrderAndOnceFencedOutWritesAndBroadcastsNothingMore() throws Exception {
    try (TestingCluster cluster = TestingCluster.start(1)) {
      TestingCluster.Node node = cluster.node(0);
      AssignmentStore store = AssignmentStore.open(node.nats());
      AssignmentStore.Stored claimed = store.claim(null);
      List<Long> broadcastEpochs = new CopyOnWriteArrayList<>();
      node.vertx().eventBus().<JsonObject>localConsumer(Addresses.ASSIGNMENT,
          message -> broadcastEpochs.add(AssignmentDelta.fromJson(message.body()).epoch()));
      AtomicInteger deposed = new AtomicInteger();
      Context leaderContext = node.vertx().getOrCreateContext();
      AtomicReference<AssignmentPublisher> publisher = new AtomicReference<>();
      onContext(leaderContext, () -> {
        publisher.set(new AssignmentPublisher(node.vertx(), store, claimed, deposed::incrementAndGet, node.clock()));
        for (int owner = 1; owner <= 3; owner++) {
          publisher.get().publish(chambers("defender-" + owner), LeaderMemo.EMPTY, "test " + owner);
        }
      });
      await("three epochs written and broadcast").atMost(seconds(10)).until(() -> broadcastEpochs.size() == 3);
      assertEquals(List.of(1L, 2L, 3L), broadcastEpochs, "one write at a time, in the order asked for");

      AssignmentStore rival = AssignmentStore.open(node.nats());
      AssignmentStore.Stored rivalClaim = rival.claim(rival.load().orElseThrow());
      onContext(leaderContext, () -> {
        publisher.get().publish(chambers("defender-9"), LeaderMemo.EMPTY, "after the rival's claim");
        publisher.get().remember(LeaderMemo.EMPTY.withDrains(java.util.Set.of("defender-1"), java.util.Set.of()));
      });
      await("the fenced-out publisher reports itself deposed").atMost(seconds(10)).until(() -> deposed.get() >= 1);
      onContext(leaderContext, () -> { });
      AssignmentStore.Stored now = rival.load().orElseThrow();
      assertEquals(rivalClaim.revision(), now.revision(), "nothing the deposed leader wrote landed");
      assertEquals(2, now.term());
      assertEquals(chambers("defender-3"), now.assignment().chambers());
      assertEquals(List.of(1L, 2L, 3L), broadcastEpochs, "a write that did not land is not broadcast");
      assertEquals(3, publisher.get().published().epoch());
    }
  }

  @Test
  void aLeaderWhoseTermWasClaimedIsFencedOutAtItsNextWriteAndStepsDown() throws Exception {
    try (TestingCluster cluster = TestingCluster.start(2)) {
      TestingCluster.Node leaderNode = cluster.node(0);
      LeaderSettings settings = settings(1);
      AssignmentStore rival = AssignmentStore.open(cluster.node(1).nats());
      List<Long> terms = watchTerms(leaderNode.nats().keyValue(Subjects.ASSIGNMENT_BUCKET));
      LeaderElection.deploy(leaderNode.clustered(), leaderNode.nats(), settings, () -> false, leaderNode.clock())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      long defenderTimer = heartbeatsOf("defender-1", cluster.node(1));
      await("the leader publishes its first assignment").atMost(seconds(30))
          .until(() -> rival.load().map(stored -> stored.term() == 1 && stored.assignment().epoch() >= 1).orElse(false));

      AssignmentStore.Stored rivalClaim = rival.claim(rival.load().orElseThrow());
      // A second defender changes the leader's directory: its memo is written at once, and fenced out.
      long secondTimer = heartbeatsOf("defender-2", cluster.node(1));
      await("the deposed leader stepped down and the election claimed the next term")
          .atMost(seconds(30)).until(() -> terms.contains(3L));
      List<Long> written = List.copyOf(terms);
      assertEquals(1L, written.get(0));
      for (int i = 1; i < written.size(); i++) {
        assertTrue(written.get(i) >= written.get(i - 1), "a write of an older term landed after a newer: " + written);
      }
      assertTrue(written.contains(2L), "the rival's claim is in the history: " + written);
      AssignmentStore.Stored resumed = rival.load().orElseThrow();
      assertTrue(resumed.assignment().epoch() >= rivalClaim.assignment().epoch(),
          "the new term continues from the claimed epoch");
      cluster.node(1).vertx().cancelTimer(defenderTimer);
      cluster.node(1).vertx().cancelTimer(secondTimer);
    }
  }

  @Test
  void aLeaderLeftWithAMinorityOfTheClusterStepsDownAndDoesNotCampaign() throws Exception {
    try (TestingCluster cluster = TestingCluster.start(3)) {
      TestingCluster.Node leaderNode = cluster.node(0);
      LeaderElection.deploy(leaderNode.clustered(), leaderNode.nats(), settings(2), () -> false, leaderNode.clock())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      NatsLease lease = NatsLease.leader(leaderNode.nats());
      await("node 0 leads").atMost(seconds(30))
          .until(() -> leaderNode.nodeId().equals(lease.read().holderNode()) && !lease.read().released());

      cluster.stop(1);
      cluster.stop(2);
      await("alone, the leader lets its lease go").atMost(seconds(30)).until(() -> lease.read().released());
      await("and does not take it again while alone").during(Duration.ofSeconds(2)).atMost(seconds(10))
          .until(() -> lease.read().released());
      assertEquals(1, AssignmentStore.open(leaderNode.nats()).load().orElseThrow().term(), "no new term was claimed");
    }
  }

  @Test
  void aNodeThatSleptThroughItsOwnStallSitsOutBeforeItCampaigns() throws Exception {
    try (TestingCluster cluster = TestingCluster.start(2)) {
      TestingCluster.Node first = cluster.node(0);
      TestingCluster.Node sleeper = cluster.node(1);
      LeaderSettings settings = settings(1);
      String firstElection = LeaderElection.deploy(first.clustered(), first.nats(), settings, () -> false, first.clock())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      NatsLease lease = NatsLease.leader(sleeper.nats());
      await("node 0 leads").atMost(seconds(30)).until(() -> first.nodeId().equals(lease.read().holderNode()));
      LeaderElection.deploy(sleeper.clustered(), sleeper.nats(), settings, () -> false, sleeper.clock())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

      // Node 1's clock jumps past a defender's silence timeout: to it, it did not run meanwhile.
      sleeper.clock().shift(Duration.ofMillis(FAST.deadAfterMillis() + 1_000));
      first.vertx().undeploy(firstElection).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      await("the lease is released by the leader's clean stop").atMost(seconds(10)).until(() -> lease.read().released());
      await("the node whose view is stale leaves the free lease alone").during(Duration.ofSeconds(2))
          .atMost(seconds(10)).until(() -> lease.read().released());

      // Its quiet time passes faster on its clock than in reality, but not in one jump: a jump that
      // long would be a stall of its own, and it would sit out all over again. Spread over 5 s, a tick
      // (every 250 ms) sees about 1 s pass, a third of its stall threshold (a defender's silence timeout).
      sleeper.clock().advanceGradually(LeaderElection.STALL_QUIET, seconds(5));
      await("after its quiet time it campaigns and leads").atMost(seconds(30))
          .until(() -> sleeper.nodeId().equals(lease.read().holderNode()) && !lease.read().released());
    }
  }

  /**
   * A leader nobody can reach (its addresses did not register: {@link LeaderElection.Unreachable})
   * steps down, lets the lease go although its stop does not finish (it would unregister the same
   * addresses), and sits out while a candidate on another node takes over.
   */
  @Test
  void aLeaderNobodyCanReachLetsGoEvenIfItCannotStopAndSitsOutWhileAnotherNodeLeads() throws Exception {
    try (TestingCluster cluster = TestingCluster.start(2)) {
      TestingCluster.Node unreachable = cluster.node(0);
      TestingCluster.Node other = cluster.node(1);
      AtomicInteger leadersDeployed = new AtomicInteger();
      Promise<Void> stopFinishes = Promise.promise();
      LeaderElection.LeaderFactory failsToRegister = (claimed, deposed, silentNode) -> {
        leadersDeployed.incrementAndGet();
        return new UnreachableLeader(deposed, stopFinishes.future());
      };
      try {
        unreachable.vertx().deployVerticle(new LeaderElection(unreachable.nodeId(), AssignmentStore.open(unreachable.nats()),
            NatsLease.leader(unreachable.nats()), 1, Duration.ofMillis(FAST.deadAfterMillis()), everyNodeAMember(),
            () -> false, failsToRegister, unreachable.clock(), SHORT_STOP_BOUND))
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        NatsLease lease = NatsLease.leader(other.nats());
        await("node 0 leads").atMost(seconds(30))
            .until(() -> leadersDeployed.get() == 1 && unreachable.nodeId().equals(lease.read().holderNode()));
        LeaderElection.deploy(other.clustered(), other.nats(), settings(1), () -> false, other.clock())
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        await("node 0 lets the lease go without its leader having stopped, and node 1 leads")
            .atMost(SHORT_STOP_BOUND.plus(seconds(30)))
            .until(() -> other.nodeId().equals(lease.read().holderNode()) && !lease.read().released());
        assertEquals(1, leadersDeployed.get(), "node 0 campaigned again instead of sitting out");
      } finally {
        stopFinishes.tryComplete();
      }
    }
  }

  private static LeaderElection.Members everyNodeAMember() {
    return new LeaderElection.Members() {
      @Override
      public int count() {
        return 2;
      }

      @Override
      public boolean contains(String nodeId) {
        return true;
      }
    };
  }

  /** Fails {@code deposed} as a leader whose addresses did not register does; its stop waits for {@code stopFinishes}. */
  private static final class UnreachableLeader extends VerticleBase {
    private final Promise<Void> deposed;
    private final Future<Void> stopFinishes;

    UnreachableLeader(Promise<Void> deposed, Future<Void> stopFinishes) {
      this.deposed = deposed;
      this.stopFinishes = stopFinishes;
    }

    @Override
    public Future<?> start() {
      vertx.setTimer(100, id -> deposed.tryFail(new LeaderElection.Unreachable(new TimeoutException("registration overdue"))));
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      return stopFinishes;
    }
  }

  /** A defender on {@code node}: heartbeats every interval over the cluster's event bus; returns its timer. */
  private static long heartbeatsOf(String defenderId, TestingCluster.Node node) {
    return node.vertx().setPeriodic(FAST.heartbeatIntervalMillis() / 2, id -> node.vertx().eventBus().publish(
        Addresses.DEFENDER_HEARTBEAT, new Heartbeat(defenderId, "1.0.0", 1.0, node.nodeId(), 0, 0, node.clock().millis(),
            Map.of(), 0, 0, 0, Map.of()).toJson()));
  }

  /** Every term written to the assignment's key from now on, in order (a KV watch). */
  private static List<Long> watchTerms(KeyValue kv) throws Exception {
    List<Long> terms = new CopyOnWriteArrayList<>();
    kv.watch(Subjects.ASSIGNMENT_KEY, new KeyValueWatcher() {
      @Override
      public void watch(KeyValueEntry entry) {
        if (entry.getOperation() == KeyValueOperation.PUT) {
          terms.add(new JsonObject(Buffer.buffer(entry.getValue())).getLong("term"));
        }
      }

      @Override
      public void endOfData() {
      }
    });
    return terms;
  }

  private static void onContext(Context context, Runnable action) throws Exception {
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        action.run();
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    done.get(10, TimeUnit.SECONDS);
  }

  private static SortedMap<ChamberKey, AssignmentSnapshot.Entry> chambers(String owner) {
    SortedMap<ChamberKey, AssignmentSnapshot.Entry> chambers = new TreeMap<>();
    for (int i = 1; i <= 3; i++) {
      chambers.put(new ChamberKey("tool1", Integer.toString(i)), new AssignmentSnapshot.Entry(owner, null, 1.0));
    }
    return chambers;
  }

  private static LeaderSettings settings(int minClusterMembers) throws Exception {
    Path catalog = Files.createTempFile("chambers-", ".yaml");
    catalog.toFile().deleteOnExit();
    Files.writeString(catalog, "chambers:\n"
        + "  - { tool: tool1, chamber: \"1\", svidCount: 20, hz: 1, contextSeconds: 60 }\n"
        + "  - { tool: tool1, chamber: \"2\", svidCount: 20, hz: 1, contextSeconds: 60 }\n"
        + "  - { tool: tool1, chamber: \"3\", svidCount: 20, hz: 1, contextSeconds: 60 }\n");
    return new LeaderSettings(true, minClusterMembers, catalog.toString(), FAST, AssignmentTuning.DEFAULT,
        ChamberWeights.FORMULA_ONLY, LeaderSettings.DEFAULT_CAPACITY, 0);
  }

  private static LeaderTuning fastTuning() {
    LeaderTuning t = LeaderTuning.DEFAULT;
    return new LeaderTuning(500, 6, t.firstRoundQuietMillis(), t.firstRoundMaxDelayMillis(), t.settleQuietMillis(),
        t.intermediateRoundMillis(), t.scalingQuietMillis(), t.scalingMaxWindowMillis(), t.restartGraceMillis(),
        t.chamberBatchMillis(), t.emergencySettleMillis(), t.suspectedSilenceMillis());
  }
}
