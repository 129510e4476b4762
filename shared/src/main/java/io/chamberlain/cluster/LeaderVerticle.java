package io.chamberlain.cluster;

import io.chamberlain.assign.WeightedRendezvous;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.Heartbeat;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The assignment leader of the walking skeleton: it learns defenders from their heartbeats and
 * chambers from the catalog and from gateways, gives each chamber its weighted-rendezvous home
 * among the live defenders, and publishes the whole assignment with a new epoch whenever it
 * changes.
 *
 * <p>Protocol: defenders publish {@link Heartbeat}s; one silent for {@code defenderTimeout} is
 * dropped and its chambers get new homes (rendezvous hashing moves no other chamber). Changes
 * are debounced by {@link #RECOMPUTE_DEBOUNCE} so a burst of joins costs one assignment. Anyone
 * can ask for the current snapshot ({@link Addresses#ASSIGNMENT_CURRENT}) or the cluster view
 * ({@link Addresses#LEADER_STATUS}).
 *
 * <p>Limits, by design of this stage: one leader per cluster (the gateway runs it), epochs are not
 * persisted. The HA leader with fenced, persisted epochs replaces this.
 */
public final class LeaderVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(LeaderVerticle.class.getName());
  static final Duration RECOMPUTE_DEBOUNCE = Duration.ofMillis(200);

  private final String nodeId;
  private final List<ChamberProfile> catalog;
  private final Duration defenderTimeout;
  private final SortedMap<ChamberKey, Double> weights = new TreeMap<>();
  private final Map<String, DefenderRecord> defenders = new TreeMap<>();
  private AssignmentSnapshot current = AssignmentSnapshot.EMPTY;
  private long recomputeTimer = -1;

  /** What the leader knows of one defender. */
  private record DefenderRecord(Heartbeat last, long lastSeenMillis) implements WeightedRendezvous.Candidate {
    @Override
    public String id() {
      return last.defenderId();
    }

    @Override
    public double capacity() {
      return last.capacity();
    }
  }

  public LeaderVerticle(String nodeId, List<ChamberProfile> catalog, Duration defenderTimeout) {
    this.nodeId = nodeId;
    this.catalog = List.copyOf(catalog);
    this.defenderTimeout = defenderTimeout;
  }

  @Override
  public Future<?> start() {
    catalog.forEach(profile -> weights.put(profile.chamber(), profile.weight()));
    vertx.setPeriodic(Math.max(100, defenderTimeout.toMillis() / 6), id -> dropSilentDefenders());
    LOG.log(System.Logger.Level.INFO, "leader: started with [" + weights.size() + "] catalog chambers");
    return Future.all(
        vertx.eventBus().<JsonObject>consumer(Addresses.DEFENDER_HEARTBEAT, this::onHeartbeat).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.CHAMBER_REGISTER, this::onRegister).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.ASSIGNMENT_CURRENT, m -> m.reply(current.toJson())).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.LEADER_STATUS, m -> m.reply(status())).completion());
  }

  private void onHeartbeat(Message<JsonObject> message) {
    Heartbeat heartbeat;
    try {
      heartbeat = Heartbeat.fromJson(message.body());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "leader: ignoring malformed heartbeat: " + e.getMessage());
      return;
    }
    DefenderRecord previous = defenders.put(heartbeat.defenderId(),
        new DefenderRecord(heartbeat, System.currentTimeMillis()));
    if (previous == null) {
      LOG.log(System.Logger.Level.INFO, "leader: defender [" + heartbeat.defenderId() + "] joined (version "
          + heartbeat.version() + ", capacity " + heartbeat.capacity() + ")");
      scheduleRecompute();
    } else if (heartbeat.heldEpoch() < current.epoch()) {
      // It missed a broadcast (e.g. joined between publish and subscribe): resend.
      vertx.eventBus().publish(Addresses.ASSIGNMENT, current.toJson());
    }
  }

  private void onRegister(Message<JsonObject> message) {
    try {
      ChamberKey chamber = ChamberKey.parse(message.body().getString("chamber"));
      if (!weights.containsKey(chamber)) {
        weights.put(chamber, ChamberProfile.defaultFor(chamber).weight());
        LOG.log(System.Logger.Level.INFO, "leader: chamber [" + chamber + "] discovered, default profile");
        scheduleRecompute();
      }
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.WARNING, "leader: refused chamber registration: " + e.getMessage());
    }
  }

  private void dropSilentDefenders() {
    long deadline = System.currentTimeMillis() - defenderTimeout.toMillis();
    List<String> silent = new ArrayList<>();
    defenders.forEach((id, record) -> {
      if (record.lastSeenMillis() < deadline) {
        silent.add(id);
      }
    });
    if (!silent.isEmpty()) {
      silent.forEach(defenders::remove);
      LOG.log(System.Logger.Level.WARNING, "leader: defenders " + silent + " silent for "
          + defenderTimeout.toMillis() + " ms, declared dead");
      recompute();
    }
  }

  private void scheduleRecompute() {
    if (recomputeTimer < 0) {
      recomputeTimer = vertx.setTimer(RECOMPUTE_DEBOUNCE.toMillis(), id -> {
        recomputeTimer = -1;
        recompute();
      });
    }
  }

  private void recompute() {
    SortedMap<ChamberKey, AssignmentSnapshot.Entry> next = new TreeMap<>();
    weights.forEach((chamber, weight) -> next.put(chamber, new AssignmentSnapshot.Entry(
        WeightedRendezvous.home(chamber.toString(), defenders.values()), weight)));
    if (next.equals(current.chambers())) {
      return;
    }
    current = new AssignmentSnapshot(current.epoch() + 1, System.currentTimeMillis(), next);
    LOG.log(System.Logger.Level.INFO, "leader: assignment epoch [" + current.epoch() + "]: "
        + next.size() + " chambers over " + defenders.size() + " defenders");
    vertx.eventBus().publish(Addresses.ASSIGNMENT, current.toJson());
  }

  private JsonObject status() {
    long now = System.currentTimeMillis();
    double totalWeight = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    double totalCapacity = defenders.values().stream().mapToDouble(DefenderRecord::capacity).sum();
    JsonArray defenderViews = new JsonArray();
    defenders.forEach((id, record) -> {
      int count = 0;
      double load = 0;
      for (AssignmentSnapshot.Entry entry : current.chambers().values()) {
        if (id.equals(entry.owner())) {
          count++;
          load += entry.weight();
        }
      }
      double fair = totalCapacity == 0 ? 0 : totalWeight * record.capacity() / totalCapacity;
      defenderViews.add(new JsonObject().put("id", id).put("version", record.last().version())
          .put("capacity", record.capacity()).put("heartbeatAgeMillis", now - record.lastSeenMillis())
          .put("chambers", count).put("weight", load).put("loadRatio", fair == 0 ? 0 : load / fair));
    });
    long unowned = current.chambers().values().stream().filter(e -> e.owner() == null).count();
    return new JsonObject().put("leaderNode", nodeId)
        .put("state", defenders.isEmpty() ? "NO_DEFENDERS" : "STABLE")
        .put("epoch", current.epoch()).put("chambers", weights.size()).put("unownedChambers", unowned)
        .put("totalWeight", totalWeight).put("defenders", defenderViews);
  }
}
