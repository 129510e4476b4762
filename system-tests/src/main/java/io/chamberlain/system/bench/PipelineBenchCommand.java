package io.chamberlain.system.bench;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.system.live.Await;
import io.chamberlain.tools.launch.ChamberlainInstall;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.EventPublisher;
import io.chamberlain.tools.launch.NodeProcess;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import io.chamberlain.system.live.PublishedEvent;
import io.chamberlain.system.live.VerdictTap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/chamberlain bench}: the pipeline's throughput and latency beside the broker's own, in
 * one run on this machine. Starts nats-server and measures plain JetStream there first
 * ({@link RawJetStreamBaseline}); then starts a gateway and workers at the shipped configuration
 * ({@link Profile#BENCHMARK}: shipped JVM options and defaults) and, for each population — {@code noop}
 * (the pipeline alone: ingestion, routing, state, verdict, ack), the built-in process at the default
 * profile, and a heavy-tailed population judged from traces in the object store
 * ({@link HeavyTailedPopulation}) — plays: the first contact of every chamber (one event each, all at once), offered
 * loads, and saturation (as fast as JetStream acks the publishes). Latency is the harness's own
 * clock: publish call to the verdict's arrival on a plain subscription ({@link VerdictTap}).
 * Prints one table: achieved events/s, p50/p99/p999/max, lost and duplicated, CPU (cores) and peak
 * RSS per process, and the saturation throughput as a share of the raw consume + ack rate.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure the pipeline's throughput and latency beside raw JetStream on this machine.")
public final class PipelineBenchCommand implements Callable<Integer> {

  /** Chambers judged by the noop process ({@code bn0001:1} …); the others get the built-in one. */
  static final String NOOP_PREFIX = "bn";
  static final String BUILT_IN_PREFIX = "bb";
  /** The heavy-tailed population judged from traces in the object store ({@link HeavyTailedPopulation}). */
  static final String HEAVY = "heavy";
  /** This JVM (publisher and verdict tap) in the CPU figures: on one machine it competes with the cluster. */
  static final String HARNESS = "harness";

  @Option(names = "--chambers", defaultValue = "1000", description = "chambers of the noop and builtin populations each (default ${DEFAULT-VALUE})")
  int chambers;

  @Option(names = "--workers", defaultValue = "3", description = "worker processes (default ${DEFAULT-VALUE})")
  int workers;

  @Option(names = "--loads", split = ",", defaultValue = "10,100,1000",
      description = "offered loads in events/s (default ${DEFAULT-VALUE})")
  List<Double> loads;

  @Option(names = "--seconds", defaultValue = "20", description = "length of each offered load (default ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--saturation-events", defaultValue = "10000",
      description = "events of the saturation run (default ${DEFAULT-VALUE})")
  int saturationEvents;

  @Option(names = "--raw-messages", defaultValue = "50000",
      description = "messages of each raw JetStream measurement (default ${DEFAULT-VALUE})")
  int rawMessages;

  @Option(names = "--defenses", split = ",", defaultValue = "noop,builtin,heavy",
      description = "populations to measure: noop, builtin (default profile), heavy (heavy-tailed, traces in the "
          + "object store) (default ${DEFAULT-VALUE})")
  List<String> defenses;

  @Option(names = "--heavy-chambers", defaultValue = "300",
      description = "chambers of the heavy-tailed population (default ${DEFAULT-VALUE})")
  int heavyChambers;

  @Option(names = "--heavy-loads", split = ",", defaultValue = "10,100",
      description = "offered loads of the heavy-tailed population, whose events cost up to 750,000 points each "
          + "(default ${DEFAULT-VALUE})")
  List<Double> heavyLoads;

  @Option(names = "--heavy-saturation-events", defaultValue = "3000",
      description = "events of the heavy-tailed population's saturation run (default ${DEFAULT-VALUE})")
  int heavySaturationEvents;

  @Option(names = "--out", paramLabel = "FILE", description = "also write the table to FILE")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PipelineBenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    validate();
    List<String> defenders = IntStream.rangeClosed(1, workers).mapToObj(i -> "defender-" + i).toList();
    Path rules = Files.createDirectories(ChamberlainInstall.locate().root().resolve("system-tests/target"))
        .resolve("bench-defense-processes.yaml");
    Files.writeString(rules, "# bin/chamberlain bench: the noop population\nprocesses:\n  - match: \"" + NOOP_PREFIX
        + "*:*\"\n    process: noop\n");
    List<BenchRow> rows = new ArrayList<>();
    RawJetStreamBaseline.Rates raw;
    try (ProcessCluster cluster = ProcessCluster.create("bench", ClusterOptions.of(Profile.BENCHMARK)
        .withGatewaySlots(1).withWorkerSlots(workers).withDefenseProcesses(rules))) {
      cluster.startNats();
      raw = RawJetStreamBaseline.measure(cluster.natsUrl(), rawMessages);
      System.out.printf("bench: raw JetStream (%d messages): publish %.0f/s, consume + ack %.0f/s, publish then consume %.0f/s%n",
          raw.messages(), raw.publish(), raw.consumeAck(), raw.publishThenConsume());
      // The catalog lists the heavy-tailed population's profiles; the others are discovered from their
      // first event, with the default profile.
      List<ChamberProfile> heavy = defenses.contains(HEAVY) ? HeavyTailedPopulation.profiles(heavyChambers) : List.of();
      cluster.writeCatalogProfiles(heavy);
      cluster.startAnotherGateway();
      defenders.forEach(cluster::startWorker);
      cluster.awaitSettled(workers + " defenders, no chambers yet", view -> view.stableOn(Set.copyOf(defenders)),
          Duration.ofSeconds(120));
      Map<ChamberKey, String> traceRefs = heavy.isEmpty() ? Map.of()
          : HeavyTailedPopulation.storeTraces(cluster.natsUrl(), heavy);
      try (VerdictTap tap = VerdictTap.start(cluster.natsUrl());
           EventPublisher publisher = new EventPublisher(cluster.natsUrl())) {
        for (String defense : defenses) {
          List<ChamberKey> population = defense.equals(HEAVY) ? heavy.stream().map(ChamberProfile::chamber).toList()
              : population(defense);
          boolean isHeavy = defense.equals(HEAVY);
          Population runs = new Population(cluster, tap, publisher, defense, population, traceRefs);
          // the heavy-tailed chambers are in the catalog: placed at start, their first event is not a discovery
          rows.add(runs.play(isHeavy ? "first event" : "first contact", population.size(), Double.POSITIVE_INFINITY));
          for (double load : isHeavy ? heavyLoads : loads) {
            rows.add(runs.play(String.format("%.0f/s", load), (int) Math.max(1, load * seconds), load));
          }
          rows.add(runs.play("saturation", isHeavy ? heavySaturationEvents : saturationEvents, Double.POSITIVE_INFINITY));
        }
      }
    }
    String table = BenchTable.markdown(raw, rows);
    System.out.println();
    System.out.println("Pipeline bench on this machine (" + Runtime.getRuntime().availableProcessors() + " cores; 1 gateway, "
        + workers + " workers, nats-server; profile " + Profile.BENCHMARK + ": product defaults, JVM "
        + String.join(" ", Profile.BENCHMARK.javaOptions()) + "; " + chambers + " chambers for noop and builtin, "
        + heavyChambers + " heavy-tailed):");
    System.out.println();
    System.out.print(table);
    if (out != null) {
      Files.writeString(out, table);
    }
    return rows.stream().allMatch(row -> row.lost() == 0 && row.duplicated() == 0) ? 0 : 1;
  }

  private void validate() {
    List<String> unknown = defenses.stream().filter(d -> !List.of("noop", "builtin", HEAVY).contains(d)).toList();
    if (!unknown.isEmpty() || chambers < 1 || heavyChambers < 1 || workers < 1 || seconds < 1 || saturationEvents < 1
        || heavySaturationEvents < 1 || rawMessages < 1
        || java.util.stream.Stream.concat(loads.stream(), heavyLoads.stream()).anyMatch(load -> !(load > 0))) {
      throw new CommandLine.ParameterException(new CommandLine(this), "bench: defenses must be noop, builtin or heavy"
          + " (got " + defenses + "), counts and loads positive");
    }
  }

  private List<ChamberKey> population(String defense) {
    String prefix = defense.equals("noop") ? NOOP_PREFIX : BUILT_IN_PREFIX;
    return IntStream.rangeClosed(1, chambers).mapToObj(i -> new ChamberKey(String.format("%s%04d", prefix, i), "1"))
        .toList();
  }

  /** One population's runs, on the running cluster. */
  private record Population(ProcessCluster cluster, VerdictTap tap, EventPublisher publisher, String defense,
                            List<ChamberKey> chambers, Map<ChamberKey, String> traceRefs) {
    BenchRow play(String run, int events, double rate) throws Exception {
      return PipelineBenchCommand.run(this, run, events, rate);
    }
  }

  private static BenchRow run(Population population, String run, int events, double rate) throws Exception {
    ProcessCluster cluster = population.cluster();
    VerdictTap tap = population.tap();
    String defense = population.defense();
    System.out.printf("bench: %s, %s: %d events%n", defense, run, events);
    Map<String, Long> pids = new LinkedHashMap<>();
    for (NodeProcess process : cluster.processes()) {
      pids.put(process.name(), process.pid());
    }
    pids.put(HARNESS, ProcessHandle.current().pid());
    long republishedBefore = tap.republished();
    ProcessStats stats = new ProcessStats(pids);
    List<PublishedEvent> published = population.publisher().publish(population.chambers(), population.traceRefs(),
        events, rate);
    List<String> contextIds = published.stream().map(PublishedEvent::contextId).toList();
    Duration patience = Duration.ofSeconds(60 + events / 100);
    try {
      Await.until("verdicts of " + defense + " " + run, patience, () -> tap.missing(contextIds) == 0);
    } catch (Await.TimeoutException incomplete) {
      System.out.printf("bench: %s, %s: %d verdicts still missing after %d s%n", defense, run, tap.missing(contextIds),
          patience.toSeconds());
    }
    Map<String, ProcessStats.Use> uses = stats.finish();
    BenchRow row = BenchRow.of(defense, run, rate, published, tap.receivedAt(), tap.republished() - republishedBefore,
        uses);
    System.out.println("bench: " + row.summary());
    return row;
  }
}
