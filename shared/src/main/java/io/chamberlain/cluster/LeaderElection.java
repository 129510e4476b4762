package io.chamberlain.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.chamberlain.config.LeaderSettings;
import io.chamberlain.leader.LeaseWatch;
import io.chamberlain.nats.AssignmentStore;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.nats.NatsLease;
import io.chamberlain.nats.ProfileStore;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.Heartbeat;
import io.nats.client.Connection;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Campaigns for leadership on a node that may lead; exactly one campaign wins in a healthy cluster.
 *
 * <p>Protocol: (1) take the leader's <em>lease</em> ({@link NatsLease}, a key in NATS KV naming
 * the leading node, renewed every {@link #RENEW_EVERY}, taken and renewed with compare-and-set, so
 * of several candidates exactly one gets it); (2) {@linkplain AssignmentStore#claim claim} the
 * persisted assignment with the next term — the fence; (3) deploy the leader, which continues from
 * the claimed assignment. Candidates read the lease every {@link #TICK} and take it when it is free
 * — never taken, released by a leader that stepped down or stopped, or held by a node the cluster
 * dropped that no longer renews it ({@link #DROPPED_HOLDER_QUIET}: a crash) — or expired: not renewed
 * for a defender's silence timeout of the candidate's own time (a frozen or cut-off leader;
 * {@link LeaseWatch}). A holder the cluster dropped but that renews on runs on the other side of a
 * network partition between nodes: it keeps leading (NATS, which both sides reach, decides), and the
 * lease does not swing between the sides. A leader whose renewal is
 * refused lost its lease while it was not running: it steps down, and its next assignment write
 * would be fenced out by the term anyway. Lease reads and writes run on a worker of their own, so a
 * defender busy with its chambers still renews on time.
 *
 * <p>Why a lease, not Hazelcast's lock: a frozen holder keeps a Hazelcast lock until the cluster
 * drops its member (5 s), and with it every chamber of a defender on that node would wait. A lease
 * expires on the candidates' clocks; the leader that takes an expired lease also treats the
 * defenders on the silent node as lost at once — they were frozen with it — unless they still
 * heartbeat over the cluster: then the node runs and only its way to NATS failed (a NATS restart),
 * and its defenders keep their chambers.
 *
 * <p>A node that sees fewer than {@code leader.minClusterMembers} members does not campaign, and a
 * leader that drops below steps down: a node cut off alone would otherwise lead a minority. A node
 * that was itself not running for longer than a defender's silence timeout (frozen, paused) holds a
 * stale view of the cluster, so it sits out {@link #STALL_QUIET} before it campaigns again — longer
 * than Hazelcast's merge delay ({@code cluster.xml}), by when it has rejoined the real cluster. So
 * does a leader that stepped down because nobody could reach it ({@link Unreachable}: its addresses
 * did not register over the cluster), and a stepping-down leader lets the lease go after
 * {@link #STOP_BOUND} (unless constructed with another bound) even if it has not stopped yet.
 *
 * <p><b>Stepping aside.</b> The gateway that ingests should not also lead: one node failure would
 * then be two failovers at once (the ingestion lane and the leader), and every event would wait for
 * both. So while {@code stepAside} holds (this node ingests and another member is a candidate), this
 * node hands leadership over if it has it (releasing the lease), and takes a free lease only once
 * it has stayed free for {@link #DEFER_WHILE_ASIDE}: the others campaign every tick, so a lease free
 * that long means none of them can lead.
 */
public final class LeaderElection extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(LeaderElection.class.getName());
  /** How often candidates read the lease and the leader checks whether a renewal is due. */
  static final Duration TICK = Duration.ofMillis(250);
  /** How often the leader renews its lease. */
  static final Duration RENEW_EVERY = Duration.ofMillis(500);
  /**
   * A lease held by a node the cluster dropped is taken once unrenewed this long: two renewal
   * intervals and a read tick, so a crashed holder's lease is free about as soon as Hazelcast drops
   * it, and a holder cut off from this side of a partition — renewing on through NATS — keeps it.
   */
  static final Duration DROPPED_HOLDER_QUIET = RENEW_EVERY.multipliedBy(2).plus(TICK);
  /** How long a node that was stalled waits before campaigning again. */
  static final Duration STALL_QUIET = Duration.ofSeconds(15);
  /** How long a node that steps aside leaves a free lease to the other candidates before it leads anyway. */
  static final Duration DEFER_WHILE_ASIDE = Duration.ofSeconds(3);
  /**
   * How long a stepping-down leader may take to stop before the lease goes anyway: its stop
   * unregisters addresses over the cluster, which can hang as long as registering them did, and the
   * lease is renewed until then. Letting go earlier is safe: its writes are fenced by the term.
   */
  static final Duration STOP_BOUND = Duration.ofSeconds(10);

  /**
   * Why a leader stepped down that could not be reached over the cluster (its addresses did not
   * register): this node sits out {@link #STALL_QUIET} so a candidate on another node leads.
   */
  public static final class Unreachable extends RuntimeException {
    public Unreachable(Throwable cause) {
      super("the leader's addresses could not be registered over the cluster", cause);
    }
  }

  /** Builds the leader for a claimed term; it completes {@code deposed} when it must step down. */
  @FunctionalInterface
  public interface LeaderFactory {
    /**
     * @param silentNode the node of the previous leader if its lease expired (it froze or was cut
     *     off: its defenders are lost too), {@code null} otherwise
     */
    Deployable create(AssignmentStore.Stored claimed, Promise<Void> deposed, String silentNode);
  }

  /**
   * Makes {@code node} a candidate if its settings allow it to lead: opens the assignment store and
   * the lease, loads the chamber catalog, and deploys the election. {@code ingestsHere} tells
   * whether this node holds the ingestion lane (it then steps aside for another candidate).
   */
  public static Future<?> deployIfEnabled(ClusteredVertx.Node node, Connection nats, int replicas, LeaderSettings settings,
      BooleanSupplier ingestsHere) {
    return settings.enabled() ? deploy(node, nats, replicas, settings, ingestsHere, InstantSource.system())
        : Future.succeededFuture();
  }

  /** {@link #deploy(ClusteredVertx.Node, Connection, int, LeaderSettings, BooleanSupplier, InstantSource)} on a single NATS server. */
  public static Future<String> deploy(ClusteredVertx.Node node, Connection nats, LeaderSettings settings,
      BooleanSupplier ingestsHere, InstantSource clock) {
    return deploy(node, nats, 1, settings, ingestsHere, clock);
  }

  /**
   * Deploys a candidate on {@code node} whose election and leader read time from {@code clock}
   * (the system clock in a node; tests shift it to make a node see a stall or an expiry).
   */
  public static Future<String> deploy(ClusteredVertx.Node node, Connection nats, int replicas, LeaderSettings settings,
      BooleanSupplier ingestsHere, InstantSource clock) {
    Vertx vertx = node.vertx();
    String nodeId = node.clusterManager().getNodeId();
    HazelcastInstance hazelcast = node.clusterManager().getHazelcastInstance();
    return CatalogLoader.load(vertx, settings.chambersFile()).compose(catalog ->
        vertx.executeBlocking(() -> {
          JetStreamSetup.ensureHistory(nats, replicas);
          return new Storage(AssignmentStore.open(nats, replicas), NatsLease.leader(nats, replicas),
              ProfileStore.open(nats, replicas));
        }).compose(storage ->
            vertx.deployVerticle(new LeaderElection(nodeId, storage.store(), storage.lease(), settings.minClusterMembers(),
                Duration.ofMillis(settings.tuning().deadAfterMillis()),
                new Cluster(hazelcast), () -> ingestsHere.getAsBoolean() && ClusteredVertx.otherLeaderCandidates(hazelcast) > 0,
                (claimed, deposed, silentNode) -> new LeaderVerticle(nodeId, hazelcast, storage.store(), claimed, deposed,
                    catalog, settings, silentNode, storage.profiles(), new LeaderJournal(nats, node.registry()), clock),
                clock))));
  }

  private record Storage(AssignmentStore store, NatsLease lease, ProfileStore profiles) {
  }

  /** What the election needs to know of the cluster: its size, and whether a node is still in it. */
  public interface Members {
    int count();

    boolean contains(String nodeId);
  }

  private record Cluster(HazelcastInstance hazelcast) implements Members {
    @Override
    public int count() {
      return hazelcast.getCluster().getMembers().size();
    }

    @Override
    public boolean contains(String nodeId) {
      return nodeId != null && hazelcast.getCluster().getMembers().stream()
          .anyMatch(member -> nodeId.equals(ClusteredVertx.nodeIdOf(member)));
    }
  }

  private final String nodeId;
  private final AssignmentStore store;
  private final NatsLease lease;
  private final int minClusterMembers;
  private final Members members;
  private final BooleanSupplier stepAside;
  private final LeaderFactory leaderFactory;
  private final long stallMillis;
  private final Duration stopBound;
  private final LeaseWatch watch;
  private WorkerExecutor leaseWorker;
  private boolean stopped;
  /** A lease read or write is under way: one at a time. */
  private boolean busy;
  private final InstantSource clock;
  private long lastTick;
  private long quietUntil;
  /** Since when this node, stepping aside, has found the lease free (0: not deferring). */
  private long freeSince;
  /** Completes the current leader's term early, to step down; {@code null} while not leading. */
  private Promise<Void> leading;
  private long leaseRevision;
  private long renewedAt;

  /**
   * @param stallAfter a gap this long between this node's own ticks means it was not running (a
   *     defender's silence timeout: by then the others have given up on it); also the lease expiry
   * @param stepAside whether this node should leave leadership to another candidate now (it ingests)
   * @param clock this node's wall clock: stalls, lease expiry and renewal times are measured on it
   */
  public LeaderElection(String nodeId, AssignmentStore store, NatsLease lease, int minClusterMembers,
      Duration stallAfter, Members members, BooleanSupplier stepAside, LeaderFactory leaderFactory, InstantSource clock) {
    this(nodeId, store, lease, minClusterMembers, stallAfter, members, stepAside, leaderFactory, clock, STOP_BOUND);
  }

  /**
   * @param stopBound how long a stepping-down leader may take to stop before the lease goes anyway
   *     ({@link #STOP_BOUND} in a node; a test of a leader that never stops need not wait that long)
   */
  public LeaderElection(String nodeId, AssignmentStore store, NatsLease lease, int minClusterMembers,
      Duration stallAfter, Members members, BooleanSupplier stepAside, LeaderFactory leaderFactory, InstantSource clock,
      Duration stopBound) {
    this.stopBound = stopBound;
    this.clock = clock;
    this.lastTick = clock.millis();
    this.nodeId = nodeId;
    this.store = store;
    this.lease = lease;
    this.minClusterMembers = minClusterMembers;
    this.stallMillis = stallAfter.toMillis();
    this.members = members;
    this.stepAside = stepAside;
    this.leaderFactory = leaderFactory;
    this.watch = new LeaseWatch(stallAfter.toMillis(), Math.min(stallAfter.toMillis(), DROPPED_HOLDER_QUIET.toMillis()));
  }

  /**
   * Subscribes to heartbeats at once, for the leader this node may become: relayed node-locally
   * ({@link Addresses#LEADER_HEARTBEAT_RELAY}) while it leads, dropped otherwise.
   */
  @Override
  public Future<?> start() {
    leaseWorker = vertx.createSharedWorkerExecutor("chamberlain-election-" + nodeId, 1);
    vertx.setPeriodic(TICK.toMillis(), id -> tick());
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true);
    return vertx.eventBus().<JsonObject>consumer(Addresses.DEFENDER_HEARTBEAT, heartbeat -> {
      String node = heartbeat.body().getString(Heartbeat.NODE_ID);
      if (node != null) {
        watch.heardFrom(node, clock.millis());
      }
      if (leading != null) {
        vertx.eventBus().publish(Addresses.LEADER_HEARTBEAT_RELAY, heartbeat.body(), local);
      }
    }).completion();
  }

  /** A clean stop lets the lease go, so the next candidate leads at once instead of after the expiry. */
  @Override
  public Future<?> stop() {
    stopped = true;
    Future<?> released = leading == null ? Future.succeededFuture() : releaseLease();
    return released.otherwiseEmpty().eventually(() -> leaseWorker.close());
  }

  private void tick() {
    noticeStall();
    if (busy || stopped) {
      return;
    }
    if (leading == null) {
      campaign();
    } else if (stepAside.getAsBoolean()) {
      LOG.log(System.Logger.Level.INFO, "election: node [" + nodeId + "] ingests and another candidate can lead;"
          + " handing leadership over");
      leading.tryComplete();
    } else if (clock.millis() - renewedAt >= RENEW_EVERY.toMillis()) {
      renew();
    }
  }

  private void noticeStall() {
    long now = clock.millis();
    if (now - lastTick > stallMillis) {
      quietUntil = now + STALL_QUIET.toMillis();
      watch.reset(now);
      LOG.log(System.Logger.Level.WARNING, "election: node [" + nodeId + "] did not run for " + (now - lastTick)
          + " ms; its view of the cluster is stale, not campaigning for " + STALL_QUIET.toMillis() + " ms");
    }
    lastTick = now;
  }

  /** Whether this node may take over now: enough members in view, and no recent stall of its own. */
  private boolean mayLead() {
    return clock.millis() >= quietUntil && members.count() >= minClusterMembers;
  }

  /** Reads the lease; takes it if it is free or expired (and this node may lead, and need not defer). */
  private void campaign() {
    busy = true;
    leaseWorker.executeBlocking(lease::read).onComplete(read -> {
      busy = false;
      long now = clock.millis();
      if (read.failed()) {
        watch.reset(now); // could not look: an unchanged revision later says nothing
        return;
      }
      NatsLease.Seen seen = read.result();
      LeaseWatch.Verdict verdict = watch.observe(now, seen.revision(), seen.released(), members.contains(seen.holderNode()));
      if (verdict == LeaseWatch.Verdict.HELD || !mayLead()) {
        freeSince = 0;
        return;
      }
      if (deferToOthers(now)) {
        return;
      }
      boolean holderSilent = verdict == LeaseWatch.Verdict.EXPIRED && watch.isSilent(seen.holderNode(), now);
      if (verdict == LeaseWatch.Verdict.EXPIRED && !holderSilent) {
        LOG.log(System.Logger.Level.WARNING, "election: node [" + seen.holderNode() + "] stopped renewing the lease"
            + " but its defenders still heartbeat: it runs and could not reach NATS; its defenders stay");
      }
      take(seen, holderSilent ? seen.holderNode() : null);
    });
  }

  /** Stepping aside, a free lease is taken only once it has stayed free for {@link #DEFER_WHILE_ASIDE}. */
  private boolean deferToOthers(long now) {
    if (!stepAside.getAsBoolean()) {
      return false;
    }
    if (freeSince == 0) {
      freeSince = now;
    }
    return now - freeSince < DEFER_WHILE_ASIDE.toMillis();
  }

  private void take(NatsLease.Seen seen, String silentNode) {
    busy = true;
    leaseWorker.executeBlocking(() -> lease.take(seen, nodeId)).onComplete(taken -> {
      busy = false;
      if (taken.succeeded() && taken.result() > 0 && !stopped) {
        lead(taken.result(), silentNode);
      }
    });
  }

  private void lead(long revision, String silentNode) {
    leaseRevision = revision;
    renewedAt = clock.millis();
    freeSince = 0;
    Promise<Void> deposed = Promise.promise();
    leading = deposed;
    if (silentNode != null) {
      LOG.log(System.Logger.Level.WARNING, "election: node [" + nodeId + "] takes the lease that node [" + silentNode
          + "] stopped renewing");
    }
    busy = true;
    leaseWorker.executeBlocking(() -> store.claim(store.load().orElse(null)))
        .onComplete(done -> busy = false) // renewals go on while the leader deploys
        .compose(claimed -> {
          LOG.log(System.Logger.Level.INFO, "election: node [" + nodeId + "] leads, term [" + claimed.term()
              + "], continuing from epoch [" + claimed.assignment().epoch() + "]");
          return vertx.deployVerticle(leaderFactory.create(claimed, deposed, silentNode))
              .onSuccess(deploymentId -> deposed.future()
                  .onComplete(why -> stepDown(deploymentId, claimed.term(), why.cause())));
        })
        .onFailure(failure -> {
          LOG.log(System.Logger.Level.WARNING, "election: node [" + nodeId + "] could not take over: " + failure);
          leading = null;
          releaseLease();
        });
  }

  private void renew() {
    busy = true;
    leaseWorker.executeBlocking(() -> lease.renew(leaseRevision, nodeId)).onComplete(renewed -> {
      busy = false;
      if (leading == null) {
        return;
      }
      if (renewed.succeeded() && renewed.result() > 0) {
        leaseRevision = renewed.result();
        renewedAt = clock.millis();
      } else if (renewed.succeeded()) {
        LOG.log(System.Logger.Level.WARNING, "election: node [" + nodeId + "] lost its lease (taken while it did not"
            + " run)");
        leaseRevision = 0;
        leading.tryComplete();
      } else if (clock.millis() - renewedAt > stallMillis) {
        LOG.log(System.Logger.Level.WARNING, "election: node [" + nodeId + "] could not renew its lease for "
            + (clock.millis() - renewedAt) + " ms (" + renewed.cause() + "); it may be taken");
        leading.tryComplete();
      }
    });
  }

  /** @param cause why the leader failed {@code deposed}, {@code null} when it completed it (fenced out, lease lost, …) */
  private void stepDown(String deploymentId, long term, Throwable cause) {
    LOG.log(System.Logger.Level.WARNING, "election: node [" + nodeId + "] steps down from term [" + term + "] ("
        + (cause == null ? "fenced out, lease lost, too few members, or handing over" : cause.getMessage()) + ")");
    if (cause instanceof Unreachable) {
      quietUntil = clock.millis() + STALL_QUIET.toMillis();
      LOG.log(System.Logger.Level.WARNING, "election: node [" + nodeId + "] not campaigning for "
          + STALL_QUIET.toMillis() + " ms: another node may reach the cluster better");
    }
    vertx.undeploy(deploymentId).timeout(stopBound.toMillis(), TimeUnit.MILLISECONDS).onComplete(stopped -> {
      if (stopped.failed()) {
        LOG.log(System.Logger.Level.WARNING, "election: node [" + nodeId + "] letting the lease go before its leader"
            + " of term [" + term + "] stopped: " + stopped.cause());
      }
      leading = null;
      releaseLease();
    });
  }

  /** Lets the lease go if this node still has it (best effort: a taken lease refuses quietly). */
  private Future<?> releaseLease() {
    long held = leaseRevision;
    leaseRevision = 0;
    if (held == 0) {
      return Future.succeededFuture();
    }
    return leaseWorker.executeBlocking(() -> {
      lease.release(held, nodeId);
      return null;
    });
  }
}
