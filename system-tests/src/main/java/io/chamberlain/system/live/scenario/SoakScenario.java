package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.cluster.MergeWatchdog;
import io.chamberlain.cluster.PauseDetector;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.ChamberCatalogFile;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ClusterView;
import io.chamberlain.system.live.LatencySummary;
import io.chamberlain.system.live.Latencies;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import io.chamberlain.system.live.soak.FaultKind;
import io.chamberlain.system.live.soak.FaultSchedule;
import io.chamberlain.system.live.soak.MemoryTrend;
import io.chamberlain.system.live.soak.ProcessMemory;
import io.chamberlain.tools.launch.NodeProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A soak (issue 13): steady load on 2 gateways and 4 workers for {@link Settings#duration} while a
 * fault of a seeded random {@link FaultKind} strikes every {@link Settings#interval} — worker
 * SIGKILL, SIGSTOP 10 s, SIGTERM roll, gateway SIGKILL, SIGKILL of the leader's node, nats-server
 * restart — each victim started again as its supervisor would. After each fault the cluster must
 * recover (every process up, both gateways healthy, settled on all four defenders) within
 * {@link #RECOVERY_BOUND} before the next; at the end every event is audited.
 *
 * <p>Invariants: the audit (0 lost, 0 duplicated, per-chamber order, exclusive ownership, state
 * continuity), every victim ended by its signal, recovery after every fault, every chamber owned at
 * the end. Reported: SLA breaches per fault kind (an event belongs to the fault whose window its send
 * falls in), each fault's recovery time, and every process's RSS and heap sampled every
 * {@link #MEMORY_INTERVAL} — a target that each long-lived process stayed flat ({@link MemoryTrend}).
 * {@code bin/chamberlain soak} runs it at the shipped configuration (30 min, 100 events/s over 1,500
 * chambers, a fault a minute); {@code SoakIT} runs three minutes of it in CI.
 */
public final class SoakScenario extends LiveScenario {

  /** What a soak runs: how long, how often a fault strikes, the seed of their order, and the load. */
  public record Settings(Duration duration, Duration interval, long seed, int chambers, double eventsPerSecond,
      java.util.Set<FaultKind> kinds) {

    /** Every kind of fault. */
    public Settings(Duration duration, Duration interval, long seed, int chambers, double eventsPerSecond) {
      this(duration, interval, seed, chambers, eventsPerSecond, java.util.EnumSet.allOf(FaultKind.class));
    }

    public Settings {
      if (chambers < 1 || eventsPerSecond <= 0) {
        throw new IllegalArgumentException("a soak needs chambers and a rate: " + chambers + ", " + eventsPerSecond);
      }
      if (interval.compareTo(Duration.ofSeconds(20)) < 0) {
        throw new IllegalArgumentException("faults less than 20 s apart leave no time to recover: " + interval);
      }
    }
  }

  static final Duration RECOVERY_BOUND = Duration.ofSeconds(120);
  static final Duration MEMORY_INTERVAL = Duration.ofSeconds(15);
  /** A process life shorter than this is not judged for memory growth (warm-up dominates it). */
  static final Duration MEMORY_JUDGED_AFTER = Duration.ofMinutes(10);
  private static final Duration FREEZE = Duration.ofSeconds(10);
  private static final Duration NATS_DOWNTIME = Duration.ofSeconds(3);
  private static final List<String> DEFENDERS = defenders(4);
  private static final Pattern WORKER_METRICS_PORT = Pattern.compile("/metrics on port \\[(\\d+)\\]");

  /** One fault as it happened. */
  record Struck(FaultKind kind, String victim, long atMillis, long recoveredAfterMillis) {
  }

  private final Settings settings;
  private final Random victims;
  private final List<Struck> struck = new ArrayList<>();
  private final List<String> selfHalts = new ArrayList<>();
  private String report = "";

  public SoakScenario(Profile profile, Settings settings) {
    super(profile, "soak", settings.duration().toMinutes() + " min of " + settings.eventsPerSecond() + " events/s over "
        + settings.chambers() + " chambers, a random fault every " + settings.interval().toSeconds() + " s (seed "
        + settings.seed() + ")", "—", "—", "0 lost, 0 duplicated, order kept; memory flat");
    this.settings = settings;
    this.victims = new Random(settings.seed() ^ 0x5eed);
  }

  /** The per-fault-kind and memory tables of the last run (markdown). */
  public String report() {
    return report;
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withGatewaySlots(2).withWorkerSlots(DEFENDERS.size());
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) throws InterruptedException {
    List<ChamberKey> chambers = ChamberCatalogFile.chambers(settings.chambers());
    startCluster(cluster, chambers, DEFENDERS);
    List<FaultSchedule.Fault> plan = FaultSchedule.plan(settings.seed(), settings.duration().toMillis(),
        settings.interval().toMillis(), settings.kinds());
    result.detail("fault plan (seed " + settings.seed() + ")", plan.stream().map(f -> f.kind().label()).toList());
    try (Load load = Load.start(cluster, chambers, settings.eventsPerSecond());
        ProcessMemory memory = ProcessMemory.start(cluster::processes, process -> metricsOf(cluster, process),
            MEMORY_INTERVAL)) {
      long t0 = System.currentTimeMillis();
      for (FaultSchedule.Fault fault : plan) {
        pauseUntil(t0 + fault.atMillis());
        long at = System.currentTimeMillis();
        String victim = strike(cluster, fault.kind(), result);
        Optional<Long> recovered = awaitRecovered(cluster, at, this::restartSelfHalted);
        result.invariant("recovered from " + fault.kind().label() + " of " + victim + " at t+" + (at - t0) / 1000
            + " s within " + RECOVERY_BOUND.toSeconds() + " s", recovered.isPresent(), "not recovered");
        if (recovered.isEmpty()) {
          break; // the audit still runs; striking a cluster that did not recover measures nothing
        }
        struck.add(new Struck(fault.kind(), victim, at, recovered.get()));
      }
      pauseUntil(t0 + settings.duration().toMillis());
      load.stopPublishing();
      ClusterView end = cluster.api().cluster();
      result.invariant("every chamber owned at the end", end.unownedChambers() == 0 && end.chambers() == chambers.size(),
          end.unownedChambers() + " of " + end.chambers() + " unowned");
      Load.Outcome outcome = load.audit(cluster, result, seconds(120));
      report = perFaultKind(outcome.latencies(), t0, result) + "\n" + memoryTable(memory, result);
      result.target("no node halted itself (a merge that did not finish, an unplanned pause)", selfHalts.isEmpty(), selfHalts.toString());
      slaTarget(result, outcome.latencies());
    }
  }

  /** Carries out one fault and starts the victim again; returns the victim's name. */
  private String strike(ProcessCluster cluster, FaultKind kind, ScenarioResult result) throws InterruptedException {
    ClusterView view = cluster.api().cluster();
    switch (kind) {
      case WORKER_KILL -> {
        NodeProcess worker = cluster.worker(anyWorkerBut(view));
        endAndRestart(worker, true, result);
        return worker.name();
      }
      case WORKER_ROLL -> {
        NodeProcess worker = cluster.worker(anyWorkerBut(view));
        endAndRestart(worker, false, result);
        return worker.name();
      }
      case WORKER_FREEZE -> {
        NodeProcess worker = cluster.worker(anyWorkerBut(view));
        worker.freeze();
        Thread.sleep(FREEZE.toMillis()); // the length of the freeze, not synchronisation
        thaw(worker, FREEZE, result);
        return worker.name();
      }
      case GATEWAY_KILL -> {
        int leaderGateway = cluster.gatewayOnNode(view.leaderNode()).orElse(-1);
        int victim = leaderGateway >= 0 ? cluster.otherGateway(leaderGateway) : victims.nextInt(cluster.gatewayCount());
        return killGateway(cluster, victim, result);
      }
      case LEADER_NODE_KILL -> {
        Optional<String> defender = view.defenderOnLeaderNode();
        if (defender.isPresent()) {
          NodeProcess worker = cluster.worker(defender.get());
          endAndRestart(worker, true, result);
          return worker.name() + " (leader)";
        }
        int gateway = cluster.gatewayOnNode(view.leaderNode()).orElseThrow(() -> new IllegalStateException(
            "no process runs the leader's node " + view.leaderNode()));
        return killGateway(cluster, gateway, result) + " (leader)";
      }
      case NATS_RESTART -> {
        cluster.restartNats(false, NATS_DOWNTIME);
        return "nats-server";
      }
      default -> throw new IllegalStateException("unknown fault " + kind);
    }
  }

  private String anyWorkerBut(ClusterView view) {
    List<String> candidates = new ArrayList<>(DEFENDERS);
    view.defenderOnLeaderNode().ifPresent(candidates::remove);
    return candidates.get(victims.nextInt(candidates.size()));
  }

  private static String killGateway(ProcessCluster cluster, int index, ScenarioResult result) {
    cluster.useApiOf(cluster.otherGateway(index));
    endAndRestart(cluster.gateway(index), true, result);
    return cluster.gateway(index).name();
  }

  private static void endAndRestart(NodeProcess node, boolean kill, ScenarioResult result) {
    if (kill) {
      node.kill9();
    } else {
      node.terminate();
    }
    int exit = node.awaitExit(seconds(kill ? 10 : 60));
    int expected = kill ? NodeProcess.EXIT_SIGKILL : NodeProcess.EXIT_SIGTERM;
    if (exit != expected) {
      result.invariant(node.name() + " ended by " + (kill ? "SIGKILL" : "SIGTERM"), false, "exit code " + exit);
    }
    node.restart();
  }

  /**
   * Waits until every process runs, both gateways answer and the leader has settled on all four
   * defenders; returns how long after the fault, or empty when not within {@link #RECOVERY_BOUND}.
   */
  private static Optional<Long> awaitRecovered(ProcessCluster cluster, long faultAt,
      java.util.function.Consumer<NodeProcess> supervisor) {
    try {
      Await.until("every process up and both gateways healthy", seconds(RECOVERY_BOUND.toSeconds()), () -> {
        cluster.processes().stream().filter(p -> !p.isAlive()).forEach(supervisor);
        return cluster.processes().stream().allMatch(p -> p.isAlive() && !p.isFrozen())
            && java.util.stream.IntStream.range(0, cluster.gatewayCount()).allMatch(i -> cluster.api(i).healthy());
      });
      cluster.awaitSettled(Set.copyOf(DEFENDERS), seconds(RECOVERY_BOUND.toSeconds()));
      return Optional.of(System.currentTimeMillis() - faultAt);
    } catch (Await.TimeoutException | IllegalStateException notRecovered) {
      System.out.println("live: soak: not recovered: " + notRecovered.getMessage());
      return Optional.empty();
    }
  }

  /**
   * What a supervisor does for a node that halted itself: start it again. A merge that did not finish
   * ({@link MergeWatchdog}) is recorded — each one is a merge that hung; a pause the cluster did not
   * wait for ({@link PauseDetector}) outside a planned freeze is recorded too — a node starved that long.
   */
  private void restartSelfHalted(NodeProcess node) {
    int exit = node.awaitExit(Duration.ZERO);
    if (exit == MergeWatchdog.EXIT_CODE || exit == PauseDetector.EXIT_CODE) {
      selfHalts.add(node.name() + (exit == MergeWatchdog.EXIT_CODE ? " (merge)" : " (paused)") + " at "
          + java.time.LocalTime.now().withNano(0));
      System.out.println("live: soak: " + node.name() + " halted itself (exit " + exit + "); restarting it");
      node.restart();
    }
  }

  private static Optional<URI> metricsOf(ProcessCluster cluster, NodeProcess process) {
    for (int i = 0; i < cluster.gatewayCount(); i++) {
      if (cluster.gateway(i) == process) {
        return Optional.of(URI.create(cluster.api(i).baseUrl() + "/metrics"));
      }
    }
    if (process.name().startsWith("nats")) {
      return Optional.empty();
    }
    return process.findInLog(WORKER_METRICS_PORT).map(port -> URI.create("http://127.0.0.1:" + port + "/metrics"));
  }

  /** SLA breaches per fault kind: each event belongs to the fault whose window its send falls in. */
  private String perFaultKind(Latencies latencies, long t0, ScenarioResult result) {
    Map<FaultKind, java.util.function.Predicate<Latencies.Timed>> byKind = new EnumMap<>(FaultKind.class);
    Map<FaultKind, List<Long>> recoveries = new EnumMap<>(FaultKind.class);
    for (int i = 0; i < struck.size(); i++) {
      Struck fault = struck.get(i);
      long to = i + 1 < struck.size() ? struck.get(i + 1).atMillis() : Long.MAX_VALUE;
      byKind.merge(fault.kind(), Latencies.sentBetween(fault.atMillis(), to), java.util.function.Predicate::or);
      recoveries.computeIfAbsent(fault.kind(), k -> new ArrayList<>()).add(fault.recoveredAfterMillis());
      result.detail("fault t+" + (fault.atMillis() - t0) / 1000 + " s", fault.kind().label() + " of " + fault.victim()
          + ", recovered after " + fault.recoveredAfterMillis() + " ms");
    }
    StringBuilder table = new StringBuilder("| fault | times | events in its windows | SLA breaches | p99 (ms) | max (ms) "
        + "| recovered after (ms, max) |\n|---|---|---|---|---|---|---|\n");
    LatencySummary calm = latencies.summary(Latencies.sentBetween(0, struck.isEmpty() ? Long.MAX_VALUE
        : struck.get(0).atMillis()));
    table.append(String.format("| before the first | — | %,d | %d | %,d | %,d | — |%n", calm.count(), calm.breaches(),
        calm.p99(), calm.max()));
    byKind.forEach((kind, window) -> {
      LatencySummary summary = latencies.summary(window);
      List<Long> times = recoveries.get(kind);
      table.append(String.format("| %s | %d | %,d | %d | %,d | %,d | %,d |%n", kind.label(), times.size(),
          summary.count(), summary.breaches(), summary.p99(), summary.max(),
          times.stream().mapToLong(Long::longValue).max().orElse(0)));
      result.recovery(kind.label(), summary.breaches() + " breaches of " + summary.count());
    });
    return table.toString();
  }

  /** Every process life's memory; a target that each one judged stayed flat. */
  private static String memoryTable(ProcessMemory memory, ScenarioResult result) {
    StringBuilder table = new StringBuilder("| process | samples | lived (min) | memory |\n|---|---|---|---|\n");
    List<String> grew = new ArrayList<>();
    int judged = 0;
    for (Map.Entry<ProcessMemory.Life, List<MemoryTrend.Sample>> life : memory.samples().entrySet()) {
      List<MemoryTrend.Sample> samples = life.getValue();
      MemoryTrend.Verdict verdict = MemoryTrend.judge(samples, MEMORY_JUDGED_AFTER.toMillis());
      long lived = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).atMillis() - samples.get(0).atMillis();
      table.append(String.format("| %s | %d | %.1f | %s |%n", life.getKey().text(), samples.size(), lived / 60_000.0,
          verdict.text()));
      if (verdict.judged()) {
        judged++;
        if (!verdict.flat()) {
          grew.add(life.getKey().text() + ": " + verdict.text());
        }
      }
    }
    result.target("memory flat in every process that lived ≥ " + MEMORY_JUDGED_AFTER.toMinutes() + " min (" + judged
        + " judged)", grew.isEmpty(), String.join("; ", grew));
    return table.toString();
  }
}
