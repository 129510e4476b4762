package io.chamberlain.gateway;

import io.chamberlain.config.GatewayConfig.IngestSettings;
import io.chamberlain.lanes.GatewayRoster;
import io.chamberlain.lanes.LaneShare;
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
 */
final class IngestionLanes extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(IngestionLanes.class.getName());
  static final long ANNOUNCE_MILLIS = 250;
  /** A gateway not heard for this long is no longer counted (a crash counts at once: its node leaves). */
  static final long EXPIRY_MILLIS = 4 * ANNOUNCE_MILLIS;
  static final long LISTEN_FIRST_MILLIS = 2 * ANNOUNCE_MILLIS;
  /** One try for a free lane's lock; a lane another gateway holds is given up after this. */
  private static final long LOCK_TRY_MILLIS = 100;

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
  private boolean changing;
  private boolean stopped;

  IngestionLanes(Connection nats, IngestSettings settings, long heartbeatIntervalMillis, GatewayMetrics metrics,
      GatewayActivity activity,
      ClusterManager cluster) {
    this.nats = nats;
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
          vertx.setTimer(LISTEN_FIRST_MILLIS, first -> {
            rebalance();
            vertx.setPeriodic(ANNOUNCE_MILLIS, id -> {
              announce();
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

  /** One step towards this gateway's share: release one lane, or claim one; one change at a time. */
  private void rebalance() {
    if (changing || stopped) {
      return;
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
      change(claimFirst(decision.claimable(), 0));
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
    return vertx.sharedData().getLockWithTimeout(lane.lockName(), LOCK_TRY_MILLIS)
        .compose(lock -> start(lane, lock), notFree -> claimFirst(lanes, next + 1));
  }

  private Future<Boolean> start(IngestLane lane, Lock lock) {
    if (stopped) {
      lock.release();
      return Future.succeededFuture(false);
    }
    return vertx.deployVerticle(new IngestionVerticle(nats, lane, lock, settings, heartbeatIntervalMillis, metrics, activity))
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
