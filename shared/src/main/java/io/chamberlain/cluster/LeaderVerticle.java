package io.chamberlain.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.chamberlain.assign.Assignment;
import io.chamberlain.assign.AssignmentEngine;
import io.chamberlain.assign.WeightSource;
import io.chamberlain.capacity.CapacityPlanner;
import io.chamberlain.capacity.ScaleInForecast;
import io.chamberlain.config.LeaderSettings;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.leader.ChamberLedger;
import io.chamberlain.leader.DefenderStatus;
import io.chamberlain.leader.Drains;
import io.chamberlain.leader.Leader;
import io.chamberlain.leader.LeaderDecision;
import io.chamberlain.leader.LeaderInput;
import io.chamberlain.leader.LeaderTimer;
import io.chamberlain.leader.ResendRule;
import io.chamberlain.nats.AssignmentStore;
import io.chamberlain.nats.LeaderMemo;
import io.chamberlain.nats.ProfileStore;
import io.chamberlain.wire.HistoryEntry;
import io.chamberlain.wire.ProfileChange;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.ChamberDetail;
import io.chamberlain.wire.ChamberRegistrations;
import io.chamberlain.wire.DefenderMessages;
import io.chamberlain.wire.Heartbeat;
import io.chamberlain.wire.OperatorMessages;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The active leader: the thin adapter around the pure {@link Leader} state machine. It turns
 * cluster events into {@link LeaderInput}s (heartbeats, restart announcements, drains, chamber
 * registrations, Hazelcast "member removed", timers) and carries out the {@link LeaderDecision}s:
 * timers become Vert.x timers, and assignments go through the {@link AssignmentPublisher}
 * (persisted with compare-and-set under this leader's term, then broadcast). A write fenced out
 * means another leader took over: {@code deposed} is completed and {@link LeaderElection}
 * undeploys this verticle. A leader whose addresses cannot be registered within
 * {@link #ADDRESSES_BOUND} fails {@code deposed} ({@link LeaderElection.Unreachable}): it steps down
 * and sits out, so a candidate on another node can lead.
 *
 * <p>Heartbeats map to inputs: an unknown, dead, restarting or changed (version, capacity, node)
 * defender {@linkplain LeaderInput.DefenderJoined joins}; a known live one just
 * {@linkplain LeaderInput.HeartbeatReceived heartbeats}. A restarting defender is back only when it
 * heartbeats from another node than the one it announced the restart from (the old process may
 * still be draining). Drained defenders are held out: their heartbeats are not fed until they are
 * undrained. A cluster member leaving takes the defenders last seen on it with it, at once; a
 * heartbeat from a node that is not a member (dropped after a freeze or partition, not merged back
 * yet: gateways could not route to it) is ignored. The leader's clock is the wall clock made
 * monotonic (time never goes backwards for the state machine).
 *
 * <p>Taking over: the {@link LeaderMemo} of the previous leader comes with the claimed assignment.
 * Restarts it held stay held; owners whose node is no longer a cluster member (they died with the
 * previous leader's node, or while nobody led) are lost at once rather than after a heartbeat
 * timeout, and so are owners on the previous leader's node when this leader took over because that
 * node stopped renewing its lease ({@code silentNode}: frozen or cut off, whatever runs there too). A restart announcement is answered only once its hold is persisted: the announcing node
 * may be this leader's own.
 */
public final class LeaderVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(LeaderVerticle.class.getName());
  /** How often measured costs are folded into chamber weights (only with an observed/blend source). */
  static final long OBSERVED_WEIGHTS_EVERY_MILLIS = 5_000;
  /** How often the leader publishes its view for the gateways' status APIs. */
  static final long STATUS_BROADCAST_EVERY_MILLIS = 1_000;
  /**
   * How long the leader's request/reply addresses may take to register over the cluster. Each is a
   * write to vertx-hazelcast's subscription map, which Hazelcast retries for two minutes while its
   * partition is stuck. A partition can be stuck for the partition migration timeout plus the
   * operation call timeout (20 + 60 s with the shipped {@code cluster.xml}) after a migration packet
   * was lost — the same for every node, as the address decides the partition — so the bound lies
   * above that: a leader still unreachable then hands over and sits out, in case its node is the
   * problem.
   */
  static final Duration ADDRESSES_BOUND = Duration.ofSeconds(90);

  private final String nodeId;
  private final HazelcastInstance hazelcast;
  private final AssignmentStore store;
  private final AssignmentStore.Stored claimed;
  private final Promise<Void> deposed;
  private final List<ChamberProfile> catalog;
  private final LeaderSettings settings;
  private final DefenderDirectory directory;
  private final LeaderJournal journal;
  private final ProfileStore profiles;
  /** Every chamber's profile where one is known: the catalog file's, overridden by operators' changes. */
  private final Map<ChamberKey, ChamberProfile> knownProfiles = new HashMap<>();
  /** Held out of placement by operators, and ahead of a scale-in when {@code scaleIn} forecasts one. */
  private final Drains drains;
  private final ScaleInForecast scaleIn;
  private final Map<LeaderTimer, Long> timers = new EnumMap<>(LeaderTimer.class);
  /** Formula weight of every known chamber, and what heartbeats measured of each. */
  private final ChamberLedger ledger = new ChamberLedger();
  private final ResendRule resend;
  /** Vert.x node ids of the cluster's members, kept by the membership listener. */
  private Set<String> memberNodes = new HashSet<>();
  /** What the last memo handed to the publisher was built from. */
  private long memoDirectoryVersion = -1;
  private SortedMap<String, Long> memoHolds;
  private long memoDrainsVersion = -1;
  private AssignmentPublisher publisher;
  private Leader leader;
  private long lastNow;
  private UUID membershipRegistration;
  private final String silentNode;
  /** The node's wall clock (shifted in tests); {@link #now()} keeps it from going backwards. */
  private final InstantSource clock;

  /** @param silentNode the previous leader's node if it stopped renewing its lease, else {@code null} */
  public LeaderVerticle(String nodeId, HazelcastInstance hazelcast, AssignmentStore store, AssignmentStore.Stored claimed,
      Promise<Void> deposed, List<ChamberProfile> catalog, LeaderSettings settings, String silentNode,
      ProfileStore profiles, LeaderJournal journal, InstantSource clock) {
    this.clock = clock;
    this.profiles = profiles;
    this.journal = journal;
    this.silentNode = silentNode;
    this.nodeId = nodeId;
    this.hazelcast = hazelcast;
    this.store = store;
    this.claimed = claimed;
    this.deposed = deposed;
    this.catalog = List.copyOf(catalog);
    this.settings = settings;
    this.resend = new ResendRule(settings.tuning().heartbeatIntervalMillis());
    this.directory = new DefenderDirectory(claimed.memo());
    this.drains = new Drains(claimed.memo().drainedByOperator(), claimed.memo().drainedForScaleIn());
    this.scaleIn = settings.drainBeforeScaleInMillis() > 0 ? new ScaleInForecast(settings.drainBeforeScaleInMillis(),
        settings.capacity().minDefenders()) : null;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(profiles::all).map(changes -> {
      lead(changes);
      return null;
    });
  }

  /** Takes over with the operators' stored profile changes applied over the catalog. */
  private void lead(List<ProfileChange> profileChanges) {
    publisher = new AssignmentPublisher(vertx, store, claimed, deposed::tryComplete, clock);
    SortedMap<ChamberKey, Double> weights = new TreeMap<>();
    claimed.assignment().chambers().forEach((chamber, entry) -> weights.put(chamber, entry.weight()));
    catalog.forEach(profile -> knownProfiles.put(profile.chamber(), profile));
    for (ProfileChange change : profileChanges) {
      if (change.removes()) {
        knownProfiles.remove(change.chamber());
        weights.remove(change.chamber());
      } else {
        knownProfiles.put(change.chamber(), change.profile());
      }
    }
    knownProfiles.values().forEach(profile -> weights.put(profile.chamber(), profile.weight()));
    weights.keySet().forEach(chamber -> ledger.formula(chamber, ChamberProfile.defaultFor(chamber).weight()));
    knownProfiles.values().forEach(profile -> ledger.formula(profile.chamber(), profile.weight()));
    if (settings.weights().source() != WeightSource.FORMULA) {
      vertx.setPeriodic(OBSERVED_WEIGHTS_EVERY_MILLIS, id -> applyObservedWeights());
    }
    vertx.setPeriodic(OBSERVED_WEIGHTS_EVERY_MILLIS, id -> planCapacity());
    vertx.setPeriodic(STATUS_BROADCAST_EVERY_MILLIS, id -> vertx.eventBus().publish(Addresses.LEADER_STATUS_BROADCAST, status()));
    AssignmentEngine engine = new AssignmentEngine(settings.balance());
    Assignment previous = toAssignment(claimed.assignment());
    Map<String, Long> inheritedHolds = new TreeMap<>();
    claimed.memo().restartHolds().forEach((defenderId, hold) -> inheritedHolds.put(defenderId, hold.untilMillis()));
    leader = previous.isEmpty()
        ? Leader.coldStart(settings.tuning(), engine, weights, now())
        : Leader.resume(settings.tuning(), engine, weights, previous, inheritedHolds, now());
    journal.tookOver(now(), claimed.term(), previous.epoch(), "node [" + nodeId + "] leads term " + claimed.term() + ": "
        + (previous.isEmpty() ? "cold start" : "resuming epoch " + previous.epoch()) + ", " + weights.size() + " chambers");
    long started = System.nanoTime();
    carryOut(leader.start(), started);
    membershipRegistration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        String addedNode = ClusteredVertx.nodeIdOf(event.getMember());
        vertx.runOnContext(v -> memberNodes.add(addedNode));
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String removedNode = ClusteredVertx.nodeIdOf(event.getMember());
        vertx.runOnContext(v -> onMemberRemoved(removedNode));
      }
    });
    memberNodes = currentMemberNodes();
    loseOwnersWhoseNodeIsGone();
    leaveDrainedOwners();
    LOG.log(System.Logger.Level.INFO, "leader: [" + nodeId + "] active in term [" + claimed.term() + "], "
        + weights.size() + " chambers, " + (previous.isEmpty() ? "cold start" : "resuming epoch " + previous.epoch()));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.LEADER_HEARTBEAT_RELAY, this::onHeartbeat);
    // The leader works from here on; the request/reply addresses below become reachable once their
    // registration has spread over the cluster, which a frozen member can hold up for seconds, so
    // this verticle does not wait for it (a failed or overdue registration deposes it).
    Future.all(List.of(
        consumer(Addresses.DEFENDER_RESTARTING, this::onRestarting),
        consumer(Addresses.DEFENDER_SUSPECTED, this::onSuspected),
        consumer(Addresses.DEFENDER_DRAIN, this::onDrain),
        consumer(Addresses.CHAMBER_REGISTER, this::onRegister),
        consumer(Addresses.CHAMBER_PROFILE, this::onProfileChange),
        consumer(Addresses.REBALANCE, this::onRebalance),
        consumer(Addresses.LEADER_CHAMBER, this::onChamberQuery),
        consumer(Addresses.ASSIGNMENT_CURRENT, m -> m.reply(publisher.published().toJson())),
        consumer(Addresses.LEADER_STATUS, m -> m.reply(status()))))
        .timeout(ADDRESSES_BOUND.toMillis(), TimeUnit.MILLISECONDS)
        .onFailure(failure -> {
          LOG.log(System.Logger.Level.ERROR, "leader: could not register its addresses within "
              + ADDRESSES_BOUND.toSeconds() + " s: " + failure);
          deposed.tryFail(new LeaderElection.Unreachable(failure));
        });
  }

  @Override
  public Future<?> stop() {
    if (membershipRegistration != null) {
      hazelcast.getCluster().removeMembershipListener(membershipRegistration);
    }
    timers.values().forEach(vertx::cancelTimer);
    journal.close();
    return publisher.written().otherwiseEmpty();
  }

  private Future<Void> consumer(String address, Handler<Message<JsonObject>> handler) {
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
    String defenderId = heartbeat.defenderId();
    if (!isMember(heartbeat.nodeId())) {
      // A node this cluster dropped (frozen, partitioned) can still reach us over an old event-bus
      // connection. Until it has rejoined, gateways cannot route to it: it must not get chambers.
      LOG.log(System.Logger.Level.DEBUG, "leader: ignoring heartbeat of [" + defenderId + "] from node ["
          + heartbeat.nodeId() + "], not a member of this cluster");
      return;
    }
    ledger.measured(chambersOf(defenderId, heartbeat.costs()), chambersOf(defenderId, heartbeat.rates()));
    DefenderStatus status = leader.defenderStatuses().get(defenderId);
    Optional<LeaderInput> input = directory.heartbeat(heartbeat, status, now());
    if (!drains.isDrained(defenderId)) {
      input.ifPresent(this::handle);
    }
    if (resend.missed(heartbeat.heldEpoch(), publisher.published().epoch(), publisher.publishedAtMillis(), clock.millis())) {
      vertx.eventBus().publish(Addresses.ASSIGNMENT, publisher.published().toJson());
    }
  }

  private void onRestarting(Message<JsonObject> message) {
    DefenderMessages.RestartAnnouncement announcement;
    try {
      announcement = DefenderMessages.RestartAnnouncement.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(400, "restart announcement refused: " + e.getMessage());
      return;
    }
    String defenderId = announcement.defenderId();
    String announcedFrom = announcement.nodeId();
    directory.restartAnnounced(defenderId, announcedFrom);
    handleSafely(() -> new LeaderInput.RestartAnnounced(now(), defenderId));
    boolean held = leader.restartHolds().containsKey(defenderId);
    int lent = (int) leader.assignment().leases().keySet().stream()
        .filter(chamber -> defenderId.equals(leader.assignment().ownerOf(chamber))).count();
    LOG.log(System.Logger.Level.INFO, "leader: defender [" + defenderId + "] announced a restart from node ["
        + announcedFrom + "]; " + (held ? "chambers held, " + lent + " lent to deputies" : "not held (not live here)"));
    // Answer once the hold and the leases are persisted and broadcast: the next leader must know
    // them if this one goes down next, and the restarting defender hands its chambers over once
    // it holds the epoch that lends them.
    publisher.written().onComplete(done -> message.reply(new DefenderMessages.RestartHeld(held && done.succeeded(),
        publisher.published().epoch(), lent).toJson()));
  }

  private void onSuspected(Message<JsonObject> message) {
    handleSafely(() -> {
      DefenderMessages.Suspicion suspicion = DefenderMessages.Suspicion.fromJson(message.body());
      return new LeaderInput.DefenderSuspected(now(), suspicion.defenderId(), suspicion.evidence());
    });
  }

  private void onDrain(Message<JsonObject> message) {
    DefenderMessages.DrainRequest request;
    try {
      request = DefenderMessages.DrainRequest.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(400, "drain refused: " + e.getMessage());
      return;
    }
    String defenderId = request.defenderId();
    boolean drain = request.drain();
    applyDrains(drains.operator(defenderId, drain, runningDefenders().contains(defenderId)));
    LOG.log(System.Logger.Level.INFO, "leader: defender [" + defenderId + "] " + (drain ? "drained" : "undrained"));
    message.reply(new DefenderMessages.DrainState(defenderId, drains.isDrained(defenderId)).toJson());
  }

  /** Drained: it leaves (its chambers move in the next rebalance); undrained and running: it joins again. */
  private void applyDrains(List<Drains.Change> changes) {
    for (Drains.Change change : changes) {
      if (change.drained() || change.rejoin()) {
        journal.drainChanged(now(), publisher.term(), publisher.published().epoch(), change);
        LOG.log(System.Logger.Level.INFO, "leader: defender [" + change.defenderId() + "] "
            + (change.drained() ? "drained " : "undrained ") + change.reason().text());
      }
      if (change.drained()) {
        handleSafely(() -> new LeaderInput.DefenderLeft(now(), change.defenderId()));
      } else if (change.rejoin()) {
        Heartbeat last = directory.lastHeartbeat(change.defenderId());
        handleSafely(() -> new LeaderInput.DefenderJoined(now(), change.defenderId(), last.version(), last.capacity()));
      }
    }
    rememberMemoIfChanged();
  }

  /** Defenders whose node is a cluster member and whose last heartbeat is younger than the dead-after time. */
  private List<String> runningDefenders() {
    return directory.runningOn(memberNodes, clock.millis(), settings.tuning().deadAfterMillis());
  }

  /** Chambers gateways saw for the first time: registered with the default profile, placed in the next batch. */
  private void onRegister(Message<JsonObject> message) {
    ChamberRegistrations registrations;
    try {
      registrations = ChamberRegistrations.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.WARNING, "leader: refused a chamber registration: " + e.getMessage());
      return;
    }
    List<ChamberKey> discovered = new ArrayList<>();
    for (ChamberKey chamber : registrations.chambers()) {
      if (!leader.chambers().containsKey(chamber)) {
        double weight = ChamberProfile.defaultFor(chamber).weight();
        ledger.formula(chamber, weight);
        handle(new LeaderInput.ChamberRegistered(now(), chamber, weight));
        discovered.add(chamber);
      }
    }
    if (!discovered.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "leader: " + discovered.size() + " chamber(s) discovered, default profile: "
          + discovered.subList(0, Math.min(5, discovered.size())) + (discovered.size() > 5 ? " …" : ""));
    }
  }

  /**
   * An operator's profile change: stored first (the next leader applies it too), then fed to the
   * state machine — a new chamber is placed with the next chamber batch, a changed weight counts at
   * the next rebalance, a removed chamber leaves the assignment. Replies with what was done.
   */
  private void onProfileChange(Message<JsonObject> message) {
    ProfileChange change;
    try {
      change = ProfileChange.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(400, e.getMessage());
      return;
    }
    vertx.executeBlocking(() -> {
      profiles.save(change);
      return null;
    }).onFailure(failure -> message.fail(503, "the profile could not be stored: " + failure.getMessage()))
        .onSuccess(stored -> {
          ChamberKey chamber = change.chamber();
          boolean known = leader.chambers().containsKey(chamber);
          if (change.removes()) {
            knownProfiles.remove(chamber);
            ledger.forget(chamber);
            if (known) {
              handle(new LeaderInput.ChamberRemoved(now(), chamber));
            }
            message.reply(new OperatorMessages.ProfileApplied(chamber, known ? OperatorMessages.ProfileApplied.Result.REMOVED
                : OperatorMessages.ProfileApplied.Result.ABSENT, null).toJson());
            return;
          }
          knownProfiles.put(chamber, change.profile());
          ledger.formula(chamber, change.profile().weight());
          handle(new LeaderInput.ChamberRegistered(now(), chamber, change.profile().weight()));
          message.reply(new OperatorMessages.ProfileApplied(chamber, known ? OperatorMessages.ProfileApplied.Result.UPDATED
              : OperatorMessages.ProfileApplied.Result.REGISTERED, change.profile().weight()).toJson());
        });
  }

  /** The leader's view ({@link io.chamberlain.wire.ClusterStatus}) as it answers and broadcasts it. */
  private JsonObject status() {
    return LeaderStatus.of(nodeId, publisher.term(), leader, publisher.published(), directory.lastHeartbeats(), drains.all(),
        clock.millis()).toJson();
  }

  /** An operator's rebalance: replies whether an assignment was published, and its epoch. */
  private void onRebalance(Message<JsonObject> message) {
    String by;
    try {
      by = OperatorMessages.RebalanceRequest.fromJson(message.body()).requestedBy();
    } catch (IllegalArgumentException e) {
      message.fail(400, "rebalance refused: " + e.getMessage());
      return;
    }
    long epochBefore = publisher.published().epoch();
    handle(new LeaderInput.RebalanceRequested(now(), by));
    long epoch = leader.assignment().epoch();
    message.reply(new OperatorMessages.Rebalanced(epoch != epochBefore, epoch, leader.state().name()).toJson());
  }

  /** What the leader knows of one chamber: its profile, formula, measured and current weight. */
  private void onChamberQuery(Message<JsonObject> message) {
    ChamberKey chamber;
    try {
      chamber = ChamberDetail.Query.fromJson(message.body()).chamber();
    } catch (IllegalArgumentException e) {
      message.fail(400, e.getMessage());
      return;
    }
    message.reply(new ChamberDetail(chamber, leader.chambers().containsKey(chamber), leader.chambers().get(chamber),
        ledger.formulaWeight(chamber).orElse(null), ledger.observedMillisPerContext(chamber).orElse(null),
        settings.weights().source(), knownProfiles.get(chamber))
        .toJson());
  }

  /** A heartbeat's measurements by chamber; a key that is no chamber is logged and left out. */
  private static Map<ChamberKey, Double> chambersOf(String defenderId, Map<String, Double> reported) {
    Map<ChamberKey, Double> measured = new HashMap<>();
    reported.forEach((chamber, value) -> {
      try {
        measured.put(ChamberKey.parse(chamber), value);
      } catch (IllegalArgumentException e) {
        LOG.log(System.Logger.Level.WARNING, "leader: heartbeat of [" + defenderId + "] has a bad chamber: " + e.getMessage());
      }
    });
    return measured;
  }

  /** How many defenders the measured work needs ({@link io.chamberlain.capacity.CapacityPlanner}), for the autoscaler. */
  private void planCapacity() {
    Map<ChamberKey, CapacityPlanner.ChamberLoad> loads = ledger.loads(leader.chambers().keySet());
    double liveCapacity = leader.defenderStatuses().entrySet().stream()
        .filter(e -> e.getValue() == io.chamberlain.leader.DefenderStatus.LIVE && !drains.isDrained(e.getKey()))
        .mapToDouble(e -> LeaderStatus.capacityOf(directory.lastHeartbeat(e.getKey()))).sum();
    CapacityPlanner.Plan plan = settings.capacity().plan(leader.chambers().keySet(), loads, liveCapacity);
    journal.capacity(plan);
    if (scaleIn != null) {
      List<String> running = runningDefenders();
      scaleIn.goingAway(now(), plan.defendersNeeded(), running)
          .ifPresent(going -> applyDrains(drains.scaleIn(going, running)));
    }
  }

  /** Re-registers chambers whose observed or blended weight moved significantly; the next rebalance uses it. */
  private void applyObservedWeights() {
    ledger.weightChanges(settings.weights(), leader.chambers())
        .forEach((chamber, weight) -> handle(new LeaderInput.ChamberRegistered(now(), chamber, weight)));
  }

  private void onMemberRemoved(String removedNode) {
    memberNodes.remove(removedNode);
    int members = hazelcast.getCluster().getMembers().size();
    LOG.log(System.Logger.Level.INFO, "leader: cluster member [" + removedNode + "] removed, " + members + " left");
    if (members < settings.minClusterMembers()) {
      LOG.log(System.Logger.Level.WARNING, "leader: only " + members + " cluster member(s) left, fewer than "
          + settings.minClusterMembers() + "; stepping down rather than lead a minority");
      deposed.tryComplete();
      return;
    }
    directory.liveOn(Set.of(removedNode), leader.defenderStatuses()).forEach(defenderId -> handle(new LeaderInput.DefenderLost(now(), defenderId,
        "cluster member [" + removedNode + "] removed")));
  }

  private Set<String> currentMemberNodes() {
    return hazelcast.getCluster().getMembers().stream().map(ClusteredVertx::nodeIdOf)
        .collect(Collectors.toCollection(HashSet::new));
  }

  /** From the membership events; a node not known yet is looked up once more (its join event may lag its heartbeat). */
  private boolean isMember(String node) {
    if (!memberNodes.contains(node)) {
      memberNodes = currentMemberNodes();
    }
    return memberNodes.contains(node);
  }

  /**
   * After a takeover: owners the previous leader saw on a node that has left the cluster are gone,
   * and so are those on the previous leader's node if it went silent (its lease expired).
   */
  private void loseOwnersWhoseNodeIsGone() {
    Set<String> goneNodes = new HashSet<>(directory.knownNodes());
    goneNodes.removeAll(memberNodes);
    directory.liveOn(goneNodes, leader.defenderStatuses()).forEach(defenderId -> handle(new LeaderInput.DefenderLost(
        now(), defenderId, "its node [" + directory.nodeOf(defenderId) + "] left the cluster before this leader took over")));
    if (silentNode != null) {
      directory.liveOn(Set.of(silentNode), leader.defenderStatuses()).forEach(defenderId -> handle(
          new LeaderInput.DefenderLost(now(), defenderId, "its node [" + silentNode
              + "] ran the previous leader and stopped renewing the lease: not running")));
    }
  }

  /**
   * After a takeover: a defender the previous leader drained stays drained; if it still owns chambers
   * (the previous leader went down before it published their move) it leaves now, instead of going
   * silent (its heartbeats are held out) and being declared dead.
   */
  private void leaveDrainedOwners() {
    drains.all().stream().filter(defenderId -> leader.defenderStatuses().get(defenderId) == DefenderStatus.LIVE)
        .forEach(defenderId -> handle(new LeaderInput.DefenderLeft(now(), defenderId)));
  }

  private void handleSafely(Supplier<LeaderInput> input) {
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
    long started = System.nanoTime();
    List<LeaderDecision> decisions = leader.handle(input);
    journal.input(input, publisher.term(), publisher.published().epoch());
    carryOut(decisions, started);
  }

  /** @param started when the decision began ({@link System#nanoTime()}): publications record what it took */
  private void carryOut(List<LeaderDecision> decisions, long started) {
    for (LeaderDecision decision : decisions) {
      journal.decided(decision, now(), publisher.term(), publisher.published().epoch());
      switch (decision) {
        case LeaderDecision.PublishAssignment publish -> publish(publish, System.nanoTime() - started);
        case LeaderDecision.SetTimer timer -> setTimer(timer);
        case LeaderDecision.StateChanged changed ->
            LOG.log(System.Logger.Level.INFO, "leader: " + changed.from() + " → " + changed.to() + " (" + changed.cause().describe() + ")");
        case LeaderDecision.LeaderPaused paused -> LOG.log(System.Logger.Level.WARNING, "leader: [" + nodeId
            + "] did not run for ~" + paused.pausedMillis() + " ms (paused or frozen); defenders' silence clocks restarted");
        case LeaderDecision.DefenderDeclaredDead dead -> LOG.log(System.Logger.Level.WARNING, "leader: defender ["
            + dead.defenderId() + "] declared dead: " + dead.reason());
        case LeaderDecision.InputIgnored ignored -> { } // nothing to carry out; the journal has it
      }
    }
    rememberMemoIfChanged();
  }

  /** The memo changes only with the directory (nodes, announced restarts), the held restarts or the drains. */
  private void rememberMemoIfChanged() {
    SortedMap<String, Long> holds = leader.restartHolds();
    if (directory.version() != memoDirectoryVersion || !holds.equals(memoHolds) || drains.version() != memoDrainsVersion) {
      memoDirectoryVersion = directory.version();
      memoHolds = holds;
      memoDrainsVersion = drains.version();
      publisher.remember(memo());
    }
  }

  private void setTimer(LeaderDecision.SetTimer timer) {
    Long pending = timers.remove(timer.timer());
    if (pending != null) {
      vertx.cancelTimer(pending);
    }
    long delay = Math.max(1, timer.atMillis() - clock.millis());
    timers.put(timer.timer(), vertx.setTimer(delay, id -> {
      timers.remove(timer.timer(), id);
      handle(new LeaderInput.TimerFired(now(), timer.timer()));
    }));
  }

  private void publish(LeaderDecision.PublishAssignment publish, long computeNanos) {
    SortedMap<ChamberKey, AssignmentSnapshot.Entry> lines = new TreeMap<>();
    Assignment assignment = publish.assignment();
    leader.chambers().forEach((chamber, weight) -> lines.put(chamber, new AssignmentSnapshot.Entry(
        assignment.ownerOf(chamber), assignment.leases().get(chamber), weight)));
    journal.published(HistoryEntry.assignmentPublished(now(), publisher.term(), publisher.published(), lines,
        assignment.epoch(), publish.reason(), publish.leases().lent() + publish.leases().relet(), publish.leases().returned()),
        computeNanos);
    publisher.publish(lines, memo(), publish.reason() + ": moved " + publish.summary().movedChambers()
        + " chambers, max/fair " + String.format("%.3f", publish.summary().maxOverFair())
        + (publish.leases().any() ? ", leases: " + publish.leases().lent() + " lent, " + publish.leases().returned()
            + " handed back, " + publish.leases().relet() + " re-lent" : ""));
  }

  /** What the next leader needs beyond the assignment: held restarts, where each defender runs, the drains. */
  private LeaderMemo memo() {
    return directory.memo(leader.restartHolds(), leader.defenderStatuses().keySet())
        .withDrains(drains.byOperator(), drains.forScaleIn());
  }

  private static Assignment toAssignment(AssignmentSnapshot snapshot) {
    Map<ChamberKey, String> owners = new TreeMap<>();
    Map<ChamberKey, String> leases = new TreeMap<>();
    snapshot.chambers().forEach((chamber, entry) -> {
      if (entry.owner() != null) {
        owners.put(chamber, entry.owner());
      }
      if (entry.leasedTo() != null) {
        leases.put(chamber, entry.leasedTo());
      }
    });
    return Assignment.of(snapshot.epoch(), owners).withLeases(leases);
  }

  /** The wall clock, never going backwards. */
  private long now() {
    lastNow = Math.max(lastNow, clock.millis());
    return lastNow;
  }
}
