package io.chamberlain.gateway;

import io.chamberlain.config.GatewayConfig.IngestSettings;
import io.chamberlain.lanes.GatewayRoster;
import io.chamberlain.lanes.LaneShare;
import io.chamberlain.leader.LeaseWatch;
import io.chamberlain.nats.NatsLease;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.GatewayLanes;
import io.nats.client.Connection;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Spreads the completions' ingestion lanes ({@code ingest.lanes}) over the live gateways and runs an
 * {@link IngestionVerticle} for each lane this gateway holds.
 *
 * <p>Protocol. Exclusivity is the lane's cluster-wide lock ({@link IngestLane#lockName()}): only its
 * holder reads the lane, and Hazelcast frees it when the holder's node leaves. How many lanes each
 * gateway should hold is decided by every gateway for itself ({@link LaneShare}, pure) from what the
 * others announce on {@link Addresses#GATEWAY_LANES} every {@link #ANNOUNCE_MILLIS}
 * ({@link GatewayRoster}): above its share it stops a lane — the lane's verticle hands its events back
 * and lets its requests in flight answer — and then unlocks it; below it, it tries the lock of a free
 * lane (one at a time, briefly, so a lane another gateway holds costs one short try) and starts it.
 * A gateway that joins takes lanes from those above their new share; one that dies frees only its
 * own lanes, taken by the survivors as soon as Hazelcast drops its node. A gateway waits
 * {@link #LISTEN_FIRST_MILLIS} after starting before it takes anything, so it knows its peers first.
 *
 * <p>Fence across a split: the lock is Hazelcast's, and a cluster split in two has two of it. So a
 * lane also has a lease in NATS ({@link NatsLease#lane}), which both sides reach: its reader renews
 * it every {@link #ANNOUNCE_MILLIS}, every other gateway reads it as often and judges it
 * ({@link LeaseWatch}, the leader's rule): a lease renewed is held, whoever the cluster lists, so a
 * gateway takes a lane only with the lock <em>and</em> a lease that was released, never taken, or
 * left unrenewed for {@link #LEASE_QUIET_MILLIS} by a holder the cluster dropped ({@link
 * #LEASE_EXPIRY_MILLIS} by one it still lists). A reader whose renewal finds the lease taken was
 * fenced out (the other side's takeover also deleted its consumer) and stops the lane at once; after
 * a merge exactly one gateway — the lease's holder — reads it.
 */
final class IngestionLanes extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(IngestionLanes.class.getName());
  static final long ANNOUNCE_MILLIS = 250;
  /** A gateway not heard for this long is no longer counted (a crash counts at once: its node leaves). */
  static final long EXPIRY_MILLIS = 4 * ANNOUNCE_MILLIS;
  static final long LISTEN_FIRST_MILLIS = 2 * ANNOUNCE_MILLIS;
  /** One try for a free lane's lock; a lane another gateway holds is given up after this. */
  private static final long LOCK_TRY_MILLIS = 100;
  /**
   * A lane lease whose holder the cluster dropped is free once unrenewed this long: two renewals and
   * one read (a crash costs this much beyond Hazelcast dropping the node; a holder on the other side
   * of a split renews on and keeps it — one stalled longer loses the lane, which only moves it).
   */
  static final long LEASE_QUIET_MILLIS = 3 * ANNOUNCE_MILLIS;
  /** A lane lease unrenewed this long has expired even if its holder is listed (it froze; it also holds the lock). */
  static final long LEASE_EXPIRY_MILLIS = 20 * ANNOUNCE_MILLIS;

  private final Connection nats;
  private final IngestSettings settings;
  private final long heartbeatIntervalMillis;
  private final GatewayMetrics metrics;
  private final GatewayActivity activity;
  private final ClusterManager cluster;
  private final String gatewayId;
  private final GatewayRoster roster;
  /** Lanes running here, by lane, with their deployment ids; changed on this verticle's context only. */
  private final Map<Integer, String> running = new TreeMap<>();
  /** The lanes running here, for readers on other threads (status API, leader election). */
  private final Set<Integer> held = new ConcurrentSkipListSet<>();
  private final Set<String> mismatchReported = new HashSet<>();
  private final int natsReplicas;
  /** Every lane's lease as last read, and this gateway's judgement of it; on this verticle's context. */
  private final Map<Integer, NatsLease> leases = new TreeMap<>();
  private final Map<Integer, LeaseWatch> watches = new TreeMap<>();
  private final Map<Integer, NatsLease.Seen> leaseSeen = new TreeMap<>();
  private final Map<Integer, LeaseWatch.Verdict> leaseVerdicts = new TreeMap<>();
  /** Lanes whose reader here found its lease taken: stopped at the next step. */
  private final Set<Integer> fencedOut = new HashSet<>();
  private boolean readingLeases;
  private boolean changing;
  private boolean stopped;

  IngestionLanes(Connection nats, int natsReplicas, IngestSettings settings, long heartbeatIntervalMillis,
      GatewayMetrics metrics, GatewayActivity activity, ClusterManager cluster) {
    this.nats = nats;
    this.natsReplicas = natsReplicas;
    this.settings = settings;
    this.heartbeatIntervalMillis = heartbeatIntervalMillis;
    this.metrics = metrics;
    this.activity = activity;
    this.cluster = cluster;
    this.gatewayId = cluster.getNodeId();
    this.roster = new GatewayRoster(gatewayId, settings.lanes(), EXPIRY_MILLIS);
  }

  /** The lanes this gateway ingests now (any thread). */
  Set<Integer> held() {
    return Set.copyOf(held);
  }

  int laneCount() {
    return settings.lanes();
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.GATEWAY_LANES, message -> heard(message.body()))
        .completion()
        .onSuccess(ignored -> {
          announce();
          readLeases();
          vertx.setTimer(LISTEN_FIRST_MILLIS, first -> {
            rebalance();
            vertx.setPeriodic(ANNOUNCE_MILLIS, id -> {
              announce();
              readLeases();
              rebalance();
            });
          });
        });
  }

  /** No more claims; the lanes' verticles are undeployed with this one (each hands back and unlocks). */
  @Override
  public Future<?> stop() {
    stopped = true;
    return Future.succeededFuture();
  }

  private void heard(JsonObject body) {
    GatewayLanes peer;
    try {
      peer = GatewayLanes.fromJson(body);
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.WARNING, "ingest: ignoring " + e.getMessage());
      return;
    }
    if (!roster.heard(peer.gatewayId(), peer.nodeId(), peer.laneCount(), peer.lanes(), System.currentTimeMillis())
        && mismatchReported.add(peer.gatewayId())) {
      LOG.log(System.Logger.Level.ERROR, "ingest: gateway [" + peer.gatewayId() + "] runs " + peer.laneCount()
          + " lanes, this one " + settings.lanes() + ": ingest.lanes must be the same on every gateway; not sharing with it");
    }
  }

  private void announce() {
    if (!stopped) {
      vertx.eventBus().publish(Addresses.GATEWAY_LANES,
          new GatewayLanes(gatewayId, gatewayId, settings.lanes(), running.keySet()).toJson());
    }
  }

  /**
   * Reads the leases of the lanes this gateway does not run (blocking, off the context) and judges
   * them on it; skipped while the previous read is still out.
   */
  private void readLeases() {
    if (readingLeases || stopped) {
      return;
    }
    readingLeases = true;
    Set<Integer> others = new java.util.TreeSet<>();
    for (int lane = 0; lane < settings.lanes(); lane++) {
      if (!running.containsKey(lane)) {
        others.add(lane);
      }
    }
    vertx.executeBlocking(() -> {
      Map<Integer, NatsLease.Seen> read = new TreeMap<>();
      for (int lane : others) {
        read.put(lane, lease(lane).read());
      }
      return read;
    }, false).onComplete(done -> {
      readingLeases = false;
      if (done.failed()) {
        long now = System.currentTimeMillis();
        watches.values().forEach(watch -> watch.reset(now)); // an unread lease says nothing of its holder
        leaseVerdicts.clear();
        return;
      }
      Set<String> members = new HashSet<>(cluster.getNodes());
      long now = System.currentTimeMillis();
      done.result().forEach((lane, seen) -> {
        LeaseWatch watch = watches.computeIfAbsent(lane, l -> new LeaseWatch(LEASE_EXPIRY_MILLIS, LEASE_QUIET_MILLIS));
        leaseSeen.put(lane, seen);
        leaseVerdicts.put(lane, watch.observe(now, seen.revision(), seen.released(),
            seen.holderNode() != null && members.contains(seen.holderNode())));
      });
    });
  }

  /** Lane {@code lane}'s lease (opened once; blocking: a worker thread). */
  private NatsLease lease(int lane) throws Exception {
    synchronized (leases) {
      NatsLease lease = leases.get(lane);
      if (lease == null) {
        lease = NatsLease.lane(nats, natsReplicas, lane);
        leases.put(lane, lease);
      }
      return lease;
    }
  }

  /** Called by a lane's reader (on its own context) whose renewal found its lease taken. */
  private void laneFencedOut(int lane) {
    context.runOnContext(v -> {
      fencedOut.add(lane);
      rebalance();
    });
  }

  /** One step towards this gateway's share: release one lane, or claim one; one change at a time. */
  private void rebalance() {
    if (changing || stopped) {
      return;
    }
    for (int lane : List.copyOf(fencedOut)) {
      fencedOut.remove(lane);
      if (running.containsKey(lane)) {
        LOG.log(System.Logger.Level.WARNING, "ingest: stopping lane [" + lane + "]: its lease in NATS was taken by "
            + "another gateway (the cluster was split)");
        change(vertx.undeploy(running.get(lane)).transform(done -> {
          running.remove(lane);
          held.remove(lane);
          return Future.succeededFuture(true);
        }));
        return;
      }
    }
    Set<String> members = new HashSet<>(cluster.getNodes());
    List<LaneShare.Holder> live = roster.live(running.keySet(), System.currentTimeMillis(), members::contains);
    LaneShare.Decision decision = LaneShare.decide(settings.lanes(), gatewayId, live);
    if (!decision.release().isEmpty()) {
      int lane = decision.release().get(0);
      LOG.log(System.Logger.Level.INFO, "ingest: releasing lane [" + lane + "] (share " + decision.target() + " of "
          + settings.lanes() + " over " + live.size() + " gateways)");
      change(vertx.undeploy(running.get(lane)).transform(done -> {
        running.remove(lane);
        held.remove(lane);
        return Future.succeededFuture(true);
      }));
    } else if (!decision.claimable().isEmpty()) {
      // Only lanes whose lease was read and judged free: one renewed by a reader elsewhere stays there.
      List<Integer> free = decision.claimable().stream()
          .filter(lane -> leaseVerdicts.getOrDefault(lane, LeaseWatch.Verdict.HELD) != LeaseWatch.Verdict.HELD)
          .toList();
      if (!free.isEmpty()) {
        change(claimFirst(free, 0));
      }
    }
  }

  /** Runs one step; a step that changed what this gateway holds is announced and followed by the next at once. */
  private void change(Future<Boolean> step) {
    changing = true;
    step.onComplete(done -> {
      changing = false;
      if (done.succeeded() && done.result()) {
        announce();
        rebalance();
      }
    });
  }

  /** Tries the lanes' locks in order; starts the first it gets. True if it started one. */
  private Future<Boolean> claimFirst(List<Integer> lanes, int next) {
    if (next >= lanes.size() || stopped) {
      return Future.succeededFuture(false);
    }
    IngestLane lane = new IngestLane(lanes.get(next), settings.lanes());
    NatsLease.Seen seen = leaseSeen.getOrDefault(lane.index(), NatsLease.Seen.NONE);
    return vertx.sharedData().getLockWithTimeout(lane.lockName(), LOCK_TRY_MILLIS)
        .compose(lock -> takeLease(lane, seen, lock), notFree -> claimFirst(lanes, next + 1));
  }

  /** With the lock: takes the lease as it was judged (compare-and-set); another gateway was faster if it changed since. */
  private Future<Boolean> takeLease(IngestLane lane, NatsLease.Seen seen, Lock lock) {
    return vertx.executeBlocking(() -> lease(lane.index()).take(seen, gatewayId), false)
        .compose(revision -> {
          if (revision < 0) {
            lock.release();
            leaseVerdicts.remove(lane.index()); // judged again from the next read
            return Future.succeededFuture(false);
          }
          return start(lane, lock, revision);
        }, failure -> {
          lock.release();
          LOG.log(System.Logger.Level.WARNING, "ingest: could not take the lease of lane [" + lane + "]: " + failure);
          return Future.succeededFuture(false);
        });
  }

  private Future<Boolean> start(IngestLane lane, Lock lock, long leaseRevision) {
    if (stopped) {
      lock.release();
      return Future.succeededFuture(false);
    }
    NatsLease lease;
    synchronized (leases) {
      lease = leases.get(lane.index());
    }
    IngestionVerticle.LaneHold hold = new IngestionVerticle.LaneHold(lock, lease, gatewayId, leaseRevision,
        () -> laneFencedOut(lane.index()));
    return vertx.deployVerticle(new IngestionVerticle(nats, lane, hold, settings, heartbeatIntervalMillis, metrics, activity))
        .onSuccess(deploymentId -> {
          running.put(lane.index(), deploymentId);
          held.add(lane.index());
        })
        .onFailure(failure -> {
          lock.release(); // a verticle that failed to start is not stopped: its lock is released here
          LOG.log(System.Logger.Level.WARNING, "ingest: could not start lane [" + lane + "]: " + failure.getMessage());
        })
        .map(true)
        .otherwise(false);
  }
}
