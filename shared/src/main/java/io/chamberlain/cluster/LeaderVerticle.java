package io.chamberlain.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.chamberlain.assign.Assignment;
import io.chamberlain.assign.AssignmentEngine;
import io.chamberlain.assign.ObservedWeights;
import io.chamberlain.config.LeaderSettings;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.leader.DefenderStatus;
import io.chamberlain.leader.Leader;
import io.chamberlain.leader.LeaderDecision;
import io.chamberlain.leader.LeaderInput;
import io.chamberlain.nats.AssignmentStore;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.Heartbeat;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The active leader: the thin adapter around the pure {@link Leader} state machine. It turns
 * cluster events into {@link LeaderInput}s (heartbeats, restart announcements, drains, chamber
 * registrations, Hazelcast "member removed", timers) and carries out the {@link LeaderDecision}s:
 * timers become Vert.x timers, and every assignment is first persisted with compare-and-set under
 * this leader's term ({@link AssignmentStore}) and only then broadcast. Persists run one at a time,
 * in order. A fenced-out write means another leader took over: {@code deposed} is completed and
 * {@link LeaderElection} undeploys this verticle.
 *
 * <p>Heartbeats map to inputs: an unknown, dead, restarting or changed (version, capacity, node)
 * defender {@linkplain LeaderInput.DefenderJoined joins}; a known live one just
 * {@linkplain LeaderInput.HeartbeatReceived heartbeats}. A restarting defender is back only when it
 * heartbeats from another node than the one it announced the restart from (the old process may
 * still be draining). Drained defenders are held out: their heartbeats are not fed until they are
 * undrained. The leader's clock is the wall clock made monotonic (time never goes backwards for the
 * state machine).
 *
 * <p>Restart holds are persisted with the assignment, and a restart announcement is answered only
 * once its hold is persisted: the announcing node may be this leader's own, and the next leader
 * must keep holding its chambers rather than take its silence for a crash.
 */
public final class LeaderVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(LeaderVerticle.class.getName());
  /** How often measured costs are folded into chamber weights (only with an observed/blend source). */
  static final long OBSERVED_WEIGHTS_EVERY_MILLIS = 5_000;

  private final String nodeId;
  private final HazelcastInstance hazelcast;
  private final AssignmentStore store;
  private final Promise<Void> deposed;
  private final List<ChamberProfile> catalog;
  private final LeaderSettings settings;
  private final Map<String, Heartbeat> lastHeartbeats = new HashMap<>();
  private final Set<String> drained = new HashSet<>();
  private final Map<String, Long> timers = new HashMap<>();
  /** Formula weight of every known chamber, and measured ms per context (from heartbeats). */
  private final Map<ChamberKey, Double> formulaWeights = new HashMap<>();
  private final Map<ChamberKey, Double> measuredMillis = new HashMap<>();
  /** Node each restarting defender announced from; persisted with the hold. */
  private final Map<String, String> restartingNodes = new HashMap<>();
  private AssignmentStore.Stored persisted;
  private AssignmentSnapshot published;
  /** The holds last handed to a persist (queued or done). */
  private Map<String, AssignmentStore.RestartHold> holdsPersisting;
  private Future<?> persisting = Future.succeededFuture();
  private Leader leader;
  private long lastNow;
  private UUID membershipRegistration;

  public LeaderVerticle(String nodeId, HazelcastInstance hazelcast, AssignmentStore store, AssignmentStore.Stored claimed,
      Promise<Void> deposed, List<ChamberProfile> catalog, LeaderSettings settings) {
    this.nodeId = nodeId;
    this.hazelcast = hazelcast;
    this.store = store;
    this.persisted = claimed;
    this.published = claimed.assignment();
    this.holdsPersisting = claimed.holds();
    claimed.holds().forEach((defenderId, hold) -> restartingNodes.put(defenderId, hold.nodeId()));
    this.deposed = deposed;
    this.catalog = List.copyOf(catalog);
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    SortedMap<ChamberKey, Double> weights = new TreeMap<>();
    published.chambers().forEach((chamber, entry) -> weights.put(chamber, entry.weight()));
    catalog.forEach(profile -> weights.put(profile.chamber(), profile.weight()));
    weights.keySet().forEach(chamber -> formulaWeights.put(chamber, ChamberProfile.defaultFor(chamber).weight()));
    catalog.forEach(profile -> formulaWeights.put(profile.chamber(), profile.weight()));
    if (settings.weights().source() != io.chamberlain.assign.WeightSource.FORMULA) {
      vertx.setPeriodic(OBSERVED_WEIGHTS_EVERY_MILLIS, id -> applyObservedWeights());
    }
    AssignmentEngine engine = new AssignmentEngine(settings.balance());
    Assignment previous = toAssignment(published);
    Map<String, Long> inheritedHolds = new TreeMap<>();
    persisted.holds().forEach((defenderId, hold) -> inheritedHolds.put(defenderId, hold.untilMillis()));
    leader = previous.isEmpty()
        ? Leader.coldStart(settings.tuning(), engine, weights, now())
        : Leader.resume(settings.tuning(), engine, weights, previous, inheritedHolds, now());
    carryOut(leader.start());
    membershipRegistration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String removedNode = ClusteredVertx.nodeIdOf(event.getMember());
        vertx.runOnContext(v -> onMemberRemoved(removedNode));
      }
    });
    LOG.log(System.Logger.Level.INFO, "leader: [" + nodeId + "] active in term [" + persisted.term() + "], "
        + weights.size() + " chambers, " + (previous.isEmpty() ? "cold start" : "resuming epoch " + previous.epoch()));
    return Future.all(List.of(
        consumer(Addresses.DEFENDER_HEARTBEAT, this::onHeartbeat),
        consumer(Addresses.DEFENDER_RESTARTING, this::onRestarting),
        consumer(Addresses.DEFENDER_DRAIN, this::onDrain),
        consumer(Addresses.CHAMBER_REGISTER, this::onRegister),
        consumer(Addresses.ASSIGNMENT_CURRENT, m -> m.reply(published.toJson())),
        consumer(Addresses.LEADER_STATUS, m -> m.reply(status()))));
  }

  @Override
  public Future<?> stop() {
    if (membershipRegistration != null) {
      hazelcast.getCluster().removeMembershipListener(membershipRegistration);
    }
    timers.values().forEach(vertx::cancelTimer);
    return persisting.otherwiseEmpty();
  }

  private Future<Void> consumer(String address, io.vertx.core.Handler<Message<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, handler).completion();
  }

  private void onHeartbeat(Message<JsonObject> message) {
    Heartbeat heartbeat;
    try {
      heartbeat = Heartbeat.fromJson(message.body());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "leader: ignoring malformed heartbeat: " + e.getMessage());
      return;
    }
    Heartbeat previous = lastHeartbeats.put(heartbeat.defenderId(), heartbeat);
    heartbeat.costs().forEach((chamber, millis) -> {
      try {
        measuredMillis.put(ChamberKey.parse(chamber), millis);
      } catch (IllegalArgumentException e) {
        LOG.log(System.Logger.Level.WARNING, "leader: heartbeat of [" + heartbeat.defenderId() + "] has a bad chamber: " + e.getMessage());
      }
    });
    if (drained.contains(heartbeat.defenderId())) {
      return;
    }
    DefenderStatus status = leader.defenderStatuses().get(heartbeat.defenderId());
    if (status == DefenderStatus.RESTARTING
        && heartbeat.nodeId().equals(restartingNodes.get(heartbeat.defenderId()))) {
      return; // the process that announced the restart, still draining: not back yet
    }
    boolean changed = previous == null || !previous.version().equals(heartbeat.version())
        || previous.capacity() != heartbeat.capacity() || !previous.nodeId().equals(heartbeat.nodeId());
    if (status == null || status == DefenderStatus.DEAD || status == DefenderStatus.RESTARTING || changed) {
      handle(new LeaderInput.DefenderJoined(now(), heartbeat.defenderId(), heartbeat.version(), heartbeat.capacity()));
    } else {
      handle(new LeaderInput.HeartbeatReceived(now(), heartbeat.defenderId()));
    }
    if (heartbeat.heldEpoch() < published.epoch()) {
      // It missed a broadcast (joined between publish and subscribe): send it again.
      vertx.eventBus().publish(Addresses.ASSIGNMENT, published.toJson());
    }
  }

  private void onRestarting(Message<JsonObject> message) {
    String defenderId = message.body().getString("defenderId");
    String nodeId = message.body().getString("nodeId");
    if (nodeId != null) {
      restartingNodes.put(defenderId, nodeId);
    }
    handleSafely(() -> new LeaderInput.RestartAnnounced(now(), defenderId));
    boolean held = leader.restartHolds().containsKey(defenderId);
    LOG.log(System.Logger.Level.INFO, "leader: defender [" + defenderId + "] announced a restart from node ["
        + nodeId + "]; " + (held ? "chambers held" : "not held (not live here)"));
    // Answer once the hold is persisted: the next leader must know it if this one goes down next.
    persisting.onComplete(done -> message.reply(new JsonObject().put("held", held && done.succeeded())));
  }

  private void onDrain(Message<JsonObject> message) {
    String defenderId = message.body().getString("defenderId");
    boolean drain = message.body().getBoolean("drain", true);
    if (drain && drained.add(defenderId)) {
      handleSafely(() -> new LeaderInput.DefenderLeft(now(), defenderId));
    } else if (!drain && drained.remove(defenderId)) {
      Heartbeat last = lastHeartbeats.get(defenderId);
      if (last != null) {
        handleSafely(() -> new LeaderInput.DefenderJoined(now(), defenderId, last.version(), last.capacity()));
      }
    }
    LOG.log(System.Logger.Level.INFO, "leader: defender [" + defenderId + "] " + (drain ? "drained" : "undrained"));
    message.reply(new JsonObject().put("defenderId", defenderId).put("drained", drained.contains(defenderId)));
  }

  private void onRegister(Message<JsonObject> message) {
    handleSafely(() -> {
      ChamberKey chamber = ChamberKey.parse(message.body().getString("chamber"));
      if (leader.chambers().containsKey(chamber)) {
        return null;
      }
      LOG.log(System.Logger.Level.INFO, "leader: chamber [" + chamber + "] discovered, default profile");
      formulaWeights.put(chamber, ChamberProfile.defaultFor(chamber).weight());
      return new LeaderInput.ChamberRegistered(now(), chamber, ChamberProfile.defaultFor(chamber).weight());
    });
  }

  /** Re-registers chambers whose observed or blended weight moved significantly; the next rebalance uses it. */
  private void applyObservedWeights() {
    ObservedWeights.changed(settings.weights(), formulaWeights, measuredMillis, leader.chambers())
        .forEach((chamber, weight) -> handle(new LeaderInput.ChamberRegistered(now(), chamber, weight)));
  }

  private void onMemberRemoved(String removedNode) {
    int members = hazelcast.getCluster().getMembers().size();
    LOG.log(System.Logger.Level.INFO, "leader: cluster member [" + removedNode + "] removed, " + members + " left");
    if (members < settings.minClusterMembers()) {
      LOG.log(System.Logger.Level.WARNING, "leader: only " + members + " cluster member(s) left, fewer than "
          + settings.minClusterMembers() + "; stepping down rather than lead a minority");
      deposed.tryComplete();
      return;
    }
    lastHeartbeats.values().stream()
        .filter(heartbeat -> heartbeat.nodeId().equals(removedNode))
        .map(Heartbeat::defenderId)
        .toList()
        .forEach(defenderId -> handle(new LeaderInput.DefenderLost(now(), defenderId,
            "cluster member [" + removedNode + "] removed")));
  }

  private void handleSafely(java.util.function.Supplier<LeaderInput> input) {
    try {
      LeaderInput built = input.get();
      if (built != null) {
        handle(built);
      }
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.WARNING, "leader: refused input: " + e.getMessage());
    }
  }

  private void handle(LeaderInput input) {
    carryOut(leader.handle(input));
  }

  private void carryOut(List<LeaderDecision> decisions) {
    carryOutDecisions(decisions);
    persistHoldsIfChanged();
  }

  private void carryOutDecisions(List<LeaderDecision> decisions) {
    for (LeaderDecision decision : decisions) {
      if (decision instanceof LeaderDecision.PublishAssignment publish) {
        persistThenBroadcast(publish);
      } else if (decision instanceof LeaderDecision.SetTimer timer) {
        setTimer(timer);
      } else if (decision instanceof LeaderDecision.StateChanged changed) {
        LOG.log(System.Logger.Level.INFO, "leader: " + changed.from() + " → " + changed.to() + " (" + changed.reason() + ")");
      } else if (decision instanceof LeaderDecision.DefenderDeclaredDead dead) {
        LOG.log(System.Logger.Level.WARNING, "leader: defender [" + dead.defenderId() + "] declared dead: " + dead.reason());
      }
    }
  }

  private void setTimer(LeaderDecision.SetTimer timer) {
    Long pending = timers.remove(timer.name());
    if (pending != null) {
      vertx.cancelTimer(pending);
    }
    long delay = Math.max(1, timer.atMillis() - System.currentTimeMillis());
    timers.put(timer.name(), vertx.setTimer(delay, id -> {
      timers.remove(timer.name(), id);
      handle(new LeaderInput.TimerFired(now(), timer.name()));
    }));
  }

  /** The leader's current restart holds with the node each was announced from. */
  private Map<String, AssignmentStore.RestartHold> currentHolds() {
    Map<String, AssignmentStore.RestartHold> holds = new TreeMap<>();
    leader.restartHolds().forEach((defenderId, until) ->
        holds.put(defenderId, new AssignmentStore.RestartHold(until, restartingNodes.get(defenderId))));
    restartingNodes.keySet().retainAll(holds.keySet());
    return holds;
  }

  /** Persists the restart holds alone (same assignment, same epoch) when they changed. */
  private void persistHoldsIfChanged() {
    Map<String, AssignmentStore.RestartHold> holds = currentHolds();
    if (holds.equals(holdsPersisting)) {
      return;
    }
    holdsPersisting = holds;
    persisting = persisting.transform(ignored -> {
      AssignmentStore.Stored current = persisted;
      return vertx.executeBlocking(() -> store.publish(current, current.assignment(), holds))
          .onSuccess(stored -> persisted = stored)
          .onFailure(this::onPersistFailed);
    });
  }

  private void onPersistFailed(Throwable failure) {
    if (!(failure instanceof AssignmentStore.FencedOutException)) {
      LOG.log(System.Logger.Level.ERROR, "leader: could not persist the assignment: " + failure);
    }
    deposed.tryComplete();
  }

  private void persistThenBroadcast(LeaderDecision.PublishAssignment publish) {
    SortedMap<ChamberKey, Double> weights = leader.chambers();
    SortedMap<ChamberKey, AssignmentSnapshot.Entry> lines = new TreeMap<>();
    weights.forEach((chamber, weight) ->
        lines.put(chamber, new AssignmentSnapshot.Entry(publish.assignment().ownerOf(chamber), weight)));
    Map<String, AssignmentStore.RestartHold> holds = currentHolds();
    holdsPersisting = holds;
    persisting = persisting.transform(ignored -> {
      AssignmentStore.Stored current = persisted;
      AssignmentSnapshot next = new AssignmentSnapshot(published.epoch() + 1, System.currentTimeMillis(), lines);
      return vertx.executeBlocking(() -> store.publish(current, next, holds))
          .onSuccess(stored -> {
            persisted = stored;
            published = next;
            vertx.eventBus().publish(Addresses.ASSIGNMENT, next.toJson());
            LOG.log(System.Logger.Level.INFO, "leader: epoch [" + next.epoch() + "] " + publish.reason() + ": moved "
                + publish.summary().movedChambers() + " chambers, max/fair " + String.format("%.3f", publish.summary().maxOverFair()));
          })
          .onFailure(this::onPersistFailed);
    });
  }

  private JsonObject status() {
    long now = System.currentTimeMillis();
    double totalWeight = leader.chambers().values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> load = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    published.chambers().values().forEach(entry -> {
      if (entry.owner() != null) {
        load.merge(entry.owner(), entry.weight(), Double::sum);
        counts.merge(entry.owner(), 1, Integer::sum);
      }
    });
    double totalCapacity = leader.defenderStatuses().entrySet().stream()
        .filter(e -> e.getValue() == DefenderStatus.LIVE || e.getValue() == DefenderStatus.RESTARTING)
        .mapToDouble(e -> capacityOf(e.getKey())).sum();
    io.vertx.core.json.JsonArray defenders = new io.vertx.core.json.JsonArray();
    leader.defenderStatuses().forEach((id, status) -> {
      Heartbeat last = lastHeartbeats.get(id);
      double fair = totalCapacity == 0 ? 0 : totalWeight * capacityOf(id) / totalCapacity;
      double weight = load.getOrDefault(id, 0.0);
      defenders.add(new JsonObject().put("id", id).put("status", drained.contains(id) ? "DRAINED" : status.name())
          .put("node", last == null ? null : last.nodeId())
          .put("version", last == null ? null : last.version()).put("capacity", capacityOf(id))
          .put("heartbeatAgeMillis", last == null ? null : now - last.sentAt())
          .put("chambers", counts.getOrDefault(id, 0)).put("weight", weight)
          .put("loadRatio", fair == 0 ? 0 : weight / fair)
          .put("cacheHits", last == null ? 0 : last.cacheHits())
          .put("cacheMisses", last == null ? 0 : last.cacheMisses()));
    });
    long unowned = published.chambers().values().stream().filter(e -> e.owner() == null).count()
        + leader.chambers().keySet().stream().filter(c -> !published.knows(c)).count();
    return new JsonObject().put("leaderNode", nodeId).put("term", persisted.term())
        .put("state", leader.state().name()).put("epoch", published.epoch())
        .put("chambers", leader.chambers().size()).put("unownedChambers", unowned)
        .put("totalWeight", totalWeight).put("defenders", defenders);
  }

  private double capacityOf(String defenderId) {
    Heartbeat last = lastHeartbeats.get(defenderId);
    return last == null ? 1.0 : last.capacity();
  }

  private static Assignment toAssignment(AssignmentSnapshot snapshot) {
    Map<ChamberKey, String> owners = new TreeMap<>();
    snapshot.chambers().forEach((chamber, entry) -> {
      if (entry.owner() != null) {
        owners.put(chamber, entry.owner());
      }
    });
    return Assignment.of(snapshot.epoch(), owners);
  }

  /** The wall clock, never going backwards. */
  private long now() {
    lastNow = Math.max(lastNow, System.currentTimeMillis());
    return lastNow;
  }
}
