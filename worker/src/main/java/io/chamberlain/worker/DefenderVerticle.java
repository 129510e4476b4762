package io.chamberlain.worker;

import io.chamberlain.config.WorkerConfig;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.Heartbeat;
import io.chamberlain.worker.runtime.DefenderServices;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A defender: heartbeats to the leader and keeps one {@link ChamberVerticle} deployed for each
 * chamber the newest assignment gives it.
 *
 * <p>Assignments are applied one at a time, in epoch order; an epoch not newer than the one held is
 * ignored. Lost chambers are undeployed (each finishes its event in flight) before gained ones are
 * deployed; a chamber that failed to start is retried at the next heartbeat. The heartbeat carries the held epoch, so a leader that sees a defender behind resends
 * the assignment (a snapshot published before this node subscribed is never missed for long).
 */
public final class DefenderVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(DefenderVerticle.class.getName());

  private final WorkerConfig config;
  private final String nodeId;
  private final DefenderServices services;
  private final Map<ChamberKey, String> deployments = new TreeMap<>();
  private AssignmentSnapshot held = AssignmentSnapshot.EMPTY;
  private Future<?> applying = Future.succeededFuture();

  public DefenderVerticle(WorkerConfig config, String nodeId, DefenderServices services) {
    this.config = config;
    this.nodeId = nodeId;
    this.services = services;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.ASSIGNMENT,
            message -> enqueue(AssignmentSnapshot.fromJson(message.body())))
        .completion()
        .onSuccess(ignored -> {
          vertx.setPeriodic(config.heartbeatInterval().toMillis(), id -> sendHeartbeat());
          sendHeartbeat();
          vertx.eventBus().<JsonObject>request(Addresses.ASSIGNMENT_CURRENT, new JsonObject())
              .onSuccess(reply -> enqueue(AssignmentSnapshot.fromJson(reply.body())));
        });
  }

  private void sendHeartbeat() {
    // A chamber that failed to start (e.g. NATS briefly away) is retried here, not left unserved.
    applying = applying.transform(ignored -> reconcile());
    Heartbeat heartbeat = new Heartbeat(config.defenderId(), config.version(), config.capacity(), nodeId,
        deployments.size(), held.epoch(), System.currentTimeMillis(), services.costs().of(deployments.keySet()),
        services.cache().hits(), services.cache().misses());
    vertx.eventBus().publish(Addresses.DEFENDER_HEARTBEAT, heartbeat.toJson());
  }

  private void enqueue(AssignmentSnapshot snapshot) {
    applying = applying.transform(ignored -> apply(snapshot));
  }

  private Future<?> apply(AssignmentSnapshot snapshot) {
    if (snapshot.epoch() <= held.epoch()) {
      return Future.succeededFuture();
    }
    held = snapshot;
    return reconcile();
  }

  /** Brings the deployed chamber verticles in line with the held assignment. */
  private Future<?> reconcile() {
    AssignmentSnapshot snapshot = held;
    List<ChamberKey> lost = new ArrayList<>();
    deployments.keySet().forEach(chamber -> {
      if (!config.defenderId().equals(snapshot.ownerOf(chamber))) {
        lost.add(chamber);
      }
    });
    List<ChamberKey> gained = new ArrayList<>();
    snapshot.chambers().forEach((chamber, entry) -> {
      if (config.defenderId().equals(entry.owner()) && !deployments.containsKey(chamber)) {
        gained.add(chamber);
      }
    });
    if (!lost.isEmpty() || !gained.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "defender: [" + config.defenderId() + "] epoch [" + snapshot.epoch()
          + "]: +" + gained.size() + " -" + lost.size() + " chambers");
    }
    return Future.join(lost.stream().map(this::undeploy).toList())
        .transform(ignored -> Future.join(gained.stream().map(this::deploy).toList()));
  }

  private Future<?> undeploy(ChamberKey chamber) {
    String deploymentId = deployments.remove(chamber);
    return vertx.undeploy(deploymentId).onFailure(failure -> LOG.log(System.Logger.Level.WARNING,
        "defender: [" + config.defenderId() + "] could not stop chamber [" + chamber + "]: " + failure));
  }

  private Future<?> deploy(ChamberKey chamber) {
    return vertx.deployVerticle(new ChamberVerticle(chamber, services))
        .onSuccess(deploymentId -> deployments.put(chamber, deploymentId))
        .onFailure(failure -> LOG.log(System.Logger.Level.WARNING,
            "defender: [" + config.defenderId() + "] could not start chamber [" + chamber + "]: " + failure));
  }
}
