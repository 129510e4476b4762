package io.chamberlain.worker;

import io.chamberlain.config.WorkerConfig;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.leader.LeaderTuning;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.DefenderMessages;
import io.chamberlain.wire.AssignmentFeed;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.ChamberReplies;
import io.chamberlain.wire.Heartbeat;
import io.chamberlain.worker.runtime.DefenderServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A defender: heartbeats to the leader, keeps one {@link ChamberVerticle} deployed for each chamber
 * the newest assignment has it serve — its home chambers that are not lent out, and the chambers
 * it serves as a deputy for a restarting defender ({@link AssignmentSnapshot#servedBy}) — and routes
 * the completions gateways send to its inbox ({@link Addresses#defenderInbox}) to them.
 *
 * <p>Routing through one inbox per defender, instead of a cluster-wide address per chamber, means
 * a chamber that moves changes no event-bus registration: a gateway addresses the owner it means,
 * never a stale registration of a dead or former owner, and the inbox answers at once when the
 * chamber is not served here (not assigned here by the assignment this defender holds, not started
 * yet, or this process is stopping) so the gateway can route the event again without waiting for
 * a timeout.
 *
 * <p>Assignments arrive as deltas ({@link AssignmentFeed}; a gap is filled by asking for the whole
 * one). Routing follows the held assignment at once; deployments follow one reconcile at a time, in
 * epoch order; an epoch not newer than the one held is ignored. A chamber that may have been judged
 * elsewhere since it was activated here — every deployed one after skipped epochs, a lost one at
 * once (it may come back before its undeploy) — re-reads its stored state before its next event
 * ({@link ChamberVerticle#reactivate}). Lost chambers are undeployed (each
 * finishes its event in flight) while gained ones are deployed; a completion for a chamber this
 * defender is starting waits for it here (queued, in order) instead of being refused — the gateway
 * would otherwise try it again at every heartbeat. A chamber that failed to start is retried at the
 * next heartbeat. The heartbeat carries
 * the held epoch, so a leader that sees a defender behind resends the assignment (a snapshot
 * published before this node subscribed is never missed for long). A heartbeat also goes out as
 * soon as newly gained chambers are deployed: gateways route the events waiting for them at once.
 *
 * <p><b>Restart handover.</b> On SIGTERM the defender announces its restart and keeps serving
 * until the leader answered with the epoch that lends its chambers to deputies; once that epoch's
 * reconcile has undeployed them (each finishing its event in flight), it stops taking events. So
 * its chambers change hands once, at a clean point, and wait only for the deputies to start them.
 */
public final class DefenderVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(DefenderVerticle.class.getName());

  private final WorkerConfig config;
  private final String nodeId;
  private final DefenderServices services;
  /** A deployed chamber verticle, serving once its deployment completed. */
  private record Deployment(String id, ChamberVerticle verticle) {
  }

  private final Map<ChamberKey, Deployment> deployments = new TreeMap<>();
  /** Chambers being deployed here, with the completions that arrived for them meanwhile, in order. */
  private final Map<ChamberKey, List<Message<JsonObject>>> starting = new HashMap<>();
  private final AssignmentFeed feed = new AssignmentFeed();
  /** Waiters for an epoch's reconcile to be done ({@link #servingEpoch}), by epoch. */
  private final TreeMap<Long, List<Promise<Void>>> epochWaiters = new TreeMap<>();
  private long reconciledEpoch;
  /** {@link #reconciledEpoch} for readers on other threads (readiness). */
  private volatile long servingEpoch;
  /** {@code deployments.size()} for readers on other threads (metrics). */
  private volatile int servedCount;
  private long heartbeats;
  private long lastHeartbeatAt;
  private Future<?> applying = Future.succeededFuture();
  private long heartbeatTimer = -1;
  private volatile boolean stopping;

  public DefenderVerticle(WorkerConfig config, String nodeId, DefenderServices services) {
    this.config = config;
    this.nodeId = nodeId;
    this.services = services;
  }

  @Override
  public Future<?> start() {
    return Future.all(
            vertx.eventBus().<JsonObject>consumer(Addresses.ASSIGNMENT, message -> onAssignment(message.body()))
                .completion(),
            vertx.eventBus().<JsonObject>consumer(Addresses.defenderInbox(config.defenderId()), this::route)
                .completion())
        .onSuccess(ignored -> {
          heartbeatTimer = vertx.setPeriodic(config.heartbeatInterval().toMillis(), id -> onHeartbeatTick());
          publishHeartbeat();
          fetchWholeAssignment();
        });
  }

  /**
   * The first step of a graceful stop: the restart is announced (with this node's id, so the leader
   * can tell this process from its successor); the leader lends this defender's chambers to
   * deputies and answers with that epoch; once this defender has applied it — its chambers
   * undeployed, events in flight finished — it stops taking events and heartbeating. Done then, or
   * after {@code timeoutMillis} in all (no leader, nobody to lend to: the chambers wait for the
   * restart, as they must).
   */
  Future<?> announceRestart(long timeoutMillis) {
    Promise<Void> handedOver = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMillis;
    context.runOnContext(v -> vertx.eventBus()
        .<JsonObject>request(Addresses.DEFENDER_RESTARTING,
            new DefenderMessages.RestartAnnouncement(config.defenderId(), nodeId).toJson(),
            new DeliveryOptions().setSendTimeout(timeoutMillis))
        .compose(reply -> servingEpoch(DefenderMessages.RestartHeld.fromJson(reply.body()).epoch(), deadline))
        .onComplete(done -> {
          if (done.failed()) {
            LOG.log(System.Logger.Level.WARNING, "defender: [" + config.defenderId() + "] restart not handed over: "
                + done.cause().getMessage() + "; its chambers wait for the restart");
          }
          stopping = true;
          vertx.cancelTimer(heartbeatTimer);
          handedOver.complete();
        }));
    return handedOver.future();
  }

  /** The newest assignment epoch whose chambers this defender has deployed (0: none yet); any thread. */
  long servingEpoch() {
    return servingEpoch;
  }

  /** How many chambers are deployed here now; any thread. */
  int servedCount() {
    return servedCount;
  }

  /** Whether this defender is handing over for a restart (takes no more events); any thread. */
  boolean stopping() {
    return stopping;
  }

  /** Completes once a reconcile of epoch {@code epoch} or newer is done; fails at {@code deadline}. */
  private Future<Void> servingEpoch(long epoch, long deadline) {
    if (reconciledEpoch >= epoch) {
      return Future.succeededFuture();
    }
    Promise<Void> served = Promise.promise();
    epochWaiters.computeIfAbsent(epoch, e -> new ArrayList<>()).add(served);
    vertx.setTimer(Math.max(1, deadline - System.currentTimeMillis()), id -> served.tryFail(
        "epoch " + epoch + " not applied in time (holding " + feed.held().epoch() + ")"));
    return served.future();
  }

  /** Hands a completion to its chamber's verticle, or says at once why this defender cannot take it. */
  private void route(Message<JsonObject> message) {
    ChamberKey chamber;
    try {
      chamber = new ChamberKey(message.body().getString("toolId"), message.body().getString("chamberId"));
    } catch (IllegalArgumentException | NullPointerException e) {
      message.fail(ChamberReplies.BAD_EVENT, "completion names no valid chamber: " + e.getMessage());
      return;
    }
    if (stopping) {
      message.fail(ChamberReplies.RESTARTING, "defender " + config.defenderId() + " is restarting");
      return;
    }
    Deployment deployment = deployments.get(chamber);
    AssignmentSnapshot held = feed.held();
    List<Message<JsonObject>> waiting = starting.get(chamber);
    if (waiting != null && config.defenderId().equals(held.servedBy(chamber))) {
      waiting.add(message); // handed to the chamber once it has started
      return;
    }
    if (deployment == null || !config.defenderId().equals(held.servedBy(chamber))) {
      message.fail(ChamberReplies.NOT_OWNER, "chamber " + chamber + " is not served by " + config.defenderId()
          + " (held epoch " + held.epoch() + ", served there by " + held.servedBy(chamber) + ")");
      return;
    }
    deployment.verticle().accept(message);
  }

  private void onHeartbeatTick() {
    // A chamber that failed to start (e.g. NATS briefly away) is retried here, not left unserved.
    applying = applying.transform(ignored -> reconcile());
    publishHeartbeat();
  }

  private void publishHeartbeat() {
    if (stopping) {
      return;
    }
    boolean withCosts = heartbeats++ % COSTS_EVERY_HEARTBEATS == 0;
    lastHeartbeatAt = System.currentTimeMillis();
    vertx.eventBus().publish(Addresses.DEFENDER_HEARTBEAT, heartbeat(config, nodeId, deployments.keySet(), withCosts,
        feed.held().epoch(), services, System.currentTimeMillis()).toJson());
  }

  /**
   * Heartbeats are frequent (failure detection); measured costs change slowly and the leader folds
   * them into weights every few seconds. Only every this many heartbeats carries them — with
   * thousands of chambers they are most of the heartbeat's size.
   */
  static final int COSTS_EVERY_HEARTBEATS = 10;
  /**
   * While a reconcile deploys many chambers (a cold start gives one defender thousands), a heartbeat
   * at most this often says "serving more now": gateways route what waits for the chambers already
   * started instead of waiting for the last one.
   */
  static final long PROGRESS_HEARTBEAT_MILLIS = 100;

  /**
   * What a heartbeat reports: how many chambers are deployed here, with {@code withCosts} the
   * measured cost of exactly those (a chamber that left is not this defender's to report), and the
   * cache's hit and miss counts.
   */
  static Heartbeat heartbeat(WorkerConfig config, String nodeId, Set<ChamberKey> deployed, boolean withCosts,
                             long heldEpoch, DefenderServices services, long sentAt) {
    return new Heartbeat(config.defenderId(), config.version(), config.capacity(), nodeId, deployed.size(), heldEpoch,
        sentAt, withCosts ? services.costs().of(deployed) : Map.of(), services.cache().hits(), services.cache().misses(),
        services.metrics().defenseP99Millis(), withCosts ? services.costs().ratesOf(deployed) : Map.of());
  }

  /** A delta or a whole assignment from the leader: routing follows it at once, deployments in turn. */
  private void onAssignment(JsonObject broadcast) {
    long heldBefore = feed.held().epoch();
    switch (feed.offer(broadcast)) {
      case APPLIED -> applied(heldBefore);
      case GAP -> fetchWholeAssignment();
      case STALE -> { }
    }
  }

  private void fetchWholeAssignment() {
    vertx.eventBus().<JsonObject>request(Addresses.ASSIGNMENT_CURRENT, new JsonObject()).onSuccess(reply -> {
      long heldBefore = feed.held().epoch();
      if (feed.offer(AssignmentSnapshot.fromJson(reply.body())) == AssignmentFeed.Outcome.APPLIED) {
        applied(heldBefore);
      }
    });
  }

  /** A newer assignment is held: chambers that may have been judged elsewhere meanwhile re-read their state, then deployments follow. */
  private void applied(long heldBefore) {
    mayHaveMovedMeanwhile(heldBefore, feed.held(), deployments.keySet(), config.defenderId())
        .forEach(chamber -> deployments.get(chamber).verticle().reactivate());
    applying = applying.transform(ignored -> reconcile());
  }

  /**
   * The deployed chambers whose state in memory may be behind the stored one once {@code held}
   * replaces epoch {@code heldBefore}: every one if epochs were skipped (this defender cannot know
   * where its chambers were meanwhile — it was cut off, or joined late), else those no longer served
   * here (if one comes back before its undeploy, another defender may have judged it in between).
   */
  static Set<ChamberKey> mayHaveMovedMeanwhile(long heldBefore, AssignmentSnapshot held, Set<ChamberKey> deployed,
      String defenderId) {
    if (held.epoch() > heldBefore + 1) {
      return Set.copyOf(deployed);
    }
    return deployed.stream().filter(chamber -> !defenderId.equals(held.servedBy(chamber)))
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Brings the deployed chamber verticles in line with the held assignment. */
  private Future<?> reconcile() {
    AssignmentSnapshot snapshot = feed.held();
    List<ChamberKey> lost = new ArrayList<>();
    deployments.keySet().forEach(chamber -> {
      if (!config.defenderId().equals(snapshot.servedBy(chamber))) {
        lost.add(chamber);
      }
    });
    List<ChamberKey> gained = new ArrayList<>();
    snapshot.chambers().forEach((chamber, entry) -> {
      if (config.defenderId().equals(entry.servedBy()) && !deployments.containsKey(chamber)) {
        gained.add(chamber);
      }
    });
    if (!lost.isEmpty() || !gained.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "defender: [" + config.defenderId() + "] epoch [" + snapshot.epoch()
          + "]: +" + gained.size() + " -" + lost.size() + " chambers");
    }
    List<Future<?>> changes = new ArrayList<>(lost.size() + gained.size());
    lost.forEach(chamber -> changes.add(undeploy(chamber)));
    gained.forEach(chamber -> changes.add(deploy(chamber)));
    return Future.join(changes)
        .onComplete(ignored -> {
          if (!gained.isEmpty()) {
            publishHeartbeat(); // serving new chambers: events waiting for them are routed at once
          }
          epochReconciled(snapshot.epoch());
        });
  }

  private void epochReconciled(long epoch) {
    reconciledEpoch = Math.max(reconciledEpoch, epoch);
    servingEpoch = reconciledEpoch;
    while (!epochWaiters.isEmpty() && epochWaiters.firstKey() <= reconciledEpoch) {
      epochWaiters.pollFirstEntry().getValue().forEach(Promise::tryComplete);
    }
  }

  /** Routing to the chamber stops first; its verticle then finishes the event in flight. */
  private Future<?> undeploy(ChamberKey chamber) {
    Deployment deployment = deployments.remove(chamber);
    servedCount = deployments.size();
    return vertx.undeploy(deployment.id()).onFailure(failure -> LOG.log(System.Logger.Level.WARNING,
        "defender: [" + config.defenderId() + "] could not stop chamber [" + chamber + "]: " + failure));
  }

  /** Half the earliest the leader can declare this defender dead: no owner change can happen faster. */
  private Duration fenceAfter() {
    LeaderTuning tuning = config.leader().tuning();
    return Duration.ofMillis(Math.min(tuning.suspectedSilenceMillis(), tuning.deadAfterMillis()) / 2);
  }

  private Future<?> deploy(ChamberKey chamber) {
    ChamberVerticle verticle = new ChamberVerticle(chamber, services, config.handoffTimeout(), fenceAfter());
    starting.put(chamber, new ArrayList<>());
    return vertx.deployVerticle(verticle)
        .onSuccess(deploymentId -> {
          deployments.put(chamber, new Deployment(deploymentId, verticle));
          servedCount = deployments.size();
          starting.remove(chamber).forEach(this::route); // in arrival order, through the usual checks
          if (System.currentTimeMillis() - lastHeartbeatAt >= PROGRESS_HEARTBEAT_MILLIS) {
            publishHeartbeat();
          }
        })
        .onFailure(failure -> {
          LOG.log(System.Logger.Level.WARNING,
              "defender: [" + config.defenderId() + "] could not start chamber [" + chamber + "]: " + failure);
          starting.remove(chamber).forEach(waiting -> waiting.fail(ChamberReplies.NOT_OWNER,
              "chamber " + chamber + " could not start on " + config.defenderId() + ": " + failure.getMessage()));
        });
  }
}
