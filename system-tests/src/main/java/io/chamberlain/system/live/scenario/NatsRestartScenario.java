package io.chamberlain.system.live.scenario;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AssignmentView;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.Movement;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import io.chamberlain.system.live.Verdict;
import io.chamberlain.testkit.TestTimeouts;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The NATS server dies by SIGKILL under the standard load (1 gateway, 2 workers), stays down for
 * {@link #DOWNTIME} and comes back on the same store. DESIGN.md: "nothing is lost when … the NATS
 * server dies and comes back". The publisher retries its unacknowledged publish with the same
 * {@code Nats-Msg-Id}; the nodes reconnect by themselves. Latency counts from the publish that
 * succeeded (the collector could not hand the event over before).
 *
 * <p>Invariants: every event acked by JetStream gets exactly one verdict, in order, with exclusive
 * ownership; nothing was dead-lettered by the outage. Targets: processing resumes within
 * {@link #RESUME_TARGET} of the server being back (it used to stall 44–87 s until jnats' heartbeat
 * alarm re-pulled); no chamber changes home (the leader cannot renew its lease through the outage and
 * steps down; its successor must not take the defenders on its node for frozen); no SLA breach.
 */
public final class NatsRestartScenario extends LiveScenario {

  private static final Set<String> DEFENDERS = Set.of("defender-1", "defender-2");
  private static final Duration DOWNTIME = Duration.ofSeconds(2);
  private static final Duration RESUME_TARGET = Duration.ofSeconds(10);

  public NatsRestartScenario(Profile profile) {
    super(profile, "nats-restart", "SIGKILL of nats-server, down " + DOWNTIME.toSeconds() + " s, restarted on its store",
        "—", "—", "nothing lost; resumes at once");
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withWorkerSlots(2);
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) {
    List<ChamberKey> chambers = chambers();
    startCluster(cluster, chambers, DEFENDERS);
    try (Load load = Load.start(cluster, chambers, rate())) {
      awaitWindow(load, 4);
      AssignmentView homesBefore = homes(cluster);
      long killedAt = System.currentTimeMillis();
      cluster.restartNats(true, DOWNTIME);
      long backAt = System.currentTimeMillis();
      result.detail("nats-server back after (ms)", backAt - killedAt);
      if (!profile().benchmark()) {
        // A short window starts once the leader's view is settled again: a takeover by the outage
        // (the lease unrenewed) has then published whatever it moved, and the homes below see it.
        cluster.awaitSettled("every chamber owned after the restart", view -> view.settledAmong(Set.of(), DEFENDERS),
            TestTimeouts.seconds(60));
      }
      awaitWindow(load, 10);

      Load.Outcome outcome = load.audit(cluster, result);
      long firstVerdictAt = outcome.report().verdictsByChamber().values().stream().flatMap(List::stream)
          .mapToLong(Verdict::publishedAt).filter(at -> at > backAt).min().orElse(-1);
      long firstVerdictAfter = firstVerdictAt < 0 ? -1 : firstVerdictAt - backAt;
      result.recovery("first verdict", firstVerdictAfter + " ms after the server was back");
      Set<ChamberKey> moved = Movement.moved(homesBefore.owners(), homes(cluster).owners());
      result.measure(ScenarioResult.Column.MOVED, moved.size());
      result.target("no chamber changed home: every node ran through the outage (a leader that could not renew"
          + " its lease loses no defender that still heartbeats)", moved.isEmpty(), moved.size() + " moved: " + moved);
      result.detail("publishes retried by the collector", load.publisher().failures());
      long deadLettered = cluster.api().stats().getLong("deadLettered");
      result.invariant("nothing was dead-lettered by the outage", deadLettered == 0, deadLettered + " dead letters");
      result.target("processing resumed within " + RESUME_TARGET.toSeconds() + " s of the server being back",
          firstVerdictAfter >= 0 && firstVerdictAfter < RESUME_TARGET.toMillis(),
          "first verdict " + firstVerdictAfter + " ms after");
      slaTarget(result, outcome.latencies());
    }
  }
}
