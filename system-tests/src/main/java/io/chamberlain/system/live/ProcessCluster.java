package io.chamberlain.system.live;

import io.chamberlain.testkit.LocalPort;
import io.chamberlain.testkit.TestTimeouts;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.tools.launch.AotCache;
import io.chamberlain.tools.launch.ChamberlainInstall;
import io.chamberlain.tools.launch.FreePorts;
import io.chamberlain.tools.launch.NodeGroup;
import io.chamberlain.tools.launch.NodeLauncher;
import io.chamberlain.tools.launch.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * A whole Chamberlain cluster as separate OS processes on this machine: a {@code nats-server -js}
 * with its own store (restartable), gateways and workers started from the built fat jars the way
 * every node is started ({@link NodeLauncher}, as the demo does), each a JVM of the {@link Profile}'s
 * options configured only through {@code CHAMBERLAIN_*} environment variables ({@link NodeEnvironment};
 * the developer's own are dropped), with a unique
 * cluster name and consecutive Hazelcast ports (gateways' slots first, then workers'; a restarted
 * worker keeps its slot and defender id). {@link #api()} talks to one gateway's status API — the
 * first, unless a scenario {@linkplain #useApiOf switches}. Logs go to {@link #runDir()}.
 *
 * <p>It depends on processes, NATS and the gateway's HTTP API only — not on how the leader works.
 * {@link #close()} SIGKILLs every process it started, newest first; a JVM shutdown hook does the same
 * if the caller never gets to close it.
 */
public final class ProcessCluster implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ProcessCluster.class.getName());
  /** How long the leader's epoch must stay unchanged before the cluster counts as settled. */
  public static final Duration SETTLE_QUIET = Duration.ofSeconds(1);
  /** The gateway's start line, {@code gateway: up on node [<hazelcast node id>] …}. */
  static final java.util.regex.Pattern GATEWAY_UP = java.util.regex.Pattern.compile("gateway: up on node \\[([^\\]]+)\\]");
  /** A node's election line, {@code election: node [<id>] leads, term [n]}. */
  static final java.util.regex.Pattern LEADS = java.util.regex.Pattern.compile("election: node \\[([^\\]]+)\\] leads");

  private final ClusterOptions options;
  private final ChamberlainInstall install;
  private final Path runDir;
  private final String clusterName;
  private final int natsPort = FreePorts.any();
  private final NodeEnvironment environment;
  private final NodeLauncher launcher;
  private final NodeGroup started = new NodeGroup();
  private final List<NodeProcess> gateways = new ArrayList<>();
  private final List<GatewayApi> gatewayApis = new ArrayList<>();
  private final Map<String, NodeProcess> workers = new LinkedHashMap<>();
  private final Thread reaper = new Thread(this::destroyAll, "process-cluster-reaper");
  private volatile int apiOf;
  private NodeProcess nats;
  /** With {@link ClusterOptions#natsServers()} above 1, instead of {@link #nats}. */
  private final NatsCluster natsCluster;
  private Path catalog;

  private ProcessCluster(String scenario, ClusterOptions options, ChamberlainInstall install,
                         Function<Path, List<String>> jarOptions) {
    this.options = options;
    this.install = install;
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    // cluster.name allows letters, digits, '_' and '-' only: "freeze-1.5s" becomes "freeze-1-5s"
    this.clusterName = scenario.replaceAll("[^A-Za-z0-9_-]", "-") + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.runDir = install.root().resolve("system-tests/target/live-runs").resolve(scenario + "-" + stamp + "-"
        + clusterName.substring(clusterName.length() - 8));
    this.natsCluster = options.natsServers() > 1
        ? NatsCluster.configure(install.natsServer(), runDir.resolve("nats-cluster"), options.natsServers(), options.lanes())
        : null;
    this.environment = new NodeEnvironment(options, clusterName, natsUrl(), FreePorts.block(options.slots()));
    this.launcher = NodeLauncher.of(options.javaOptions()).withJarOptions(jarOptions);
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * A cluster of {@code options}' profile. The test profile's nodes start from AOT caches where this
   * JDK has them ({@link NodeAotCaches}); the benchmark's run exactly as a user runs them.
   */
  public static ProcessCluster create(String scenario, ClusterOptions options) {
    ChamberlainInstall install = ChamberlainInstall.locate();
    Function<Path, List<String>> jarOptions = options.profile().benchmark() ? NodeLauncher.NO_JAR_OPTIONS : NodeAotCaches.use(install);
    return new ProcessCluster(scenario, options, install, jarOptions);
  }

  /** A cluster whose nodes record their jars' AOT caches when they exit normally ({@link NodeAotCaches}). */
  static ProcessCluster recordingAotCaches(ClusterOptions options, ChamberlainInstall install, AotCache caches) {
    return new ProcessCluster("aot-recording", options, install, caches::record);
  }

  public Path runDir() {
    return runDir;
  }

  /** The NATS URL(s) every node is given: all servers' of a NATS cluster, comma-separated. */
  public String natsUrl() {
    return natsCluster != null ? natsCluster.urls() : "nats://127.0.0.1:" + natsPort;
  }

  /** The JetStream cluster of a run with {@link ClusterOptions#withNatsServers more than one} nats-server. */
  public NatsCluster natsCluster() {
    if (natsCluster == null) {
      throw new IllegalStateException("this run has one nats-server; ClusterOptions.withNatsServers(3) gives a cluster");
    }
    return natsCluster;
  }

  /** The status API of the gateway scenarios talk to (the first one unless switched). */
  public synchronized GatewayApi api() {
    return gatewayApis.get(apiOf);
  }

  /** From now on {@link #api()} talks to gateway {@code index} (0 = the first started). */
  public synchronized void useApiOf(int index) {
    gatewayApis.get(index);
    apiOf = index;
  }

  /**
   * Starts nats-server with JetStream and waits until it accepts connections; with more than one
   * server, starts the {@link NatsCluster} and waits until every server is healthy (returns the first).
   */
  public synchronized NodeProcess startNats() {
    if (natsCluster != null) {
      natsCluster.start(this::track);
      return natsCluster.process(natsCluster.serverNames().get(0));
    }
    List<String> command = new ArrayList<>(NodeLauncher.natsServer(install.natsServer(), natsPort, runDir.resolve("jetstream")));
    if (options.lanes() > 1) {
      command.addAll(List.of("-c", io.chamberlain.nats.LaneMappingConfig.write(runDir.resolve("nats-lanes.conf"), options.lanes()).toString()));
    }
    nats = track(NodeProcess.start("nats", command, Map.of(), runDir));
    awaitNatsListening();
    return nats;
  }

  /**
   * Stops nats-server (SIGKILL when {@code crash}, else SIGTERM), keeps it down for {@code downtime},
   * then starts it again on the same port and store and waits until it accepts connections.
   */
  public synchronized void restartNats(boolean crash, Duration downtime) {
    if (natsCluster != null) {
      throw new IllegalStateException("a NATS cluster restarts one server at a time: natsCluster().kill9(name), restart(name)");
    }
    if (crash) {
      nats.kill9();
    } else {
      nats.terminate();
    }
    nats.awaitExit(TestTimeouts.seconds(30));
    try {
      Thread.sleep(downtime.toMillis()); // the outage the scenario asked for, not synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the NATS outage", e);
    }
    nats.restart();
    awaitNatsListening();
  }

  /** Writes the chamber catalog every node reads ({@code CHAMBERLAIN_CHAMBERS_FILE}); empty is allowed. */
  public synchronized void writeCatalog(List<ChamberKey> chambers) {
    catalog = ChamberCatalogFile.write(runDir.resolve("chambers.yaml"), chambers);
  }

  /** Writes a catalog of these profiles (instead of the light one of {@link #writeCatalog}). */
  public synchronized void writeCatalogProfiles(List<io.chamberlain.domain.ChamberProfile> profiles) {
    catalog = ChamberCatalogFile.writeProfiles(runDir.resolve("chambers.yaml"), profiles);
  }

  /** Writes the catalog of {@code chambers}, starts the (first) gateway and waits until its /health is UP. */
  public synchronized NodeProcess startGateway(List<ChamberKey> chambers) {
    if (!gateways.isEmpty()) {
      throw new IllegalStateException("the first gateway runs; start more with startAnotherGateway()");
    }
    writeCatalog(chambers);
    return startAnotherGateway();
  }

  /**
   * Starts the next gateway (after the first, a standby: one ingests a lane at a time) in the next
   * gateway slot and waits until UP; the catalog must be written.
   */
  public synchronized NodeProcess startAnotherGateway() {
    requireCatalog();
    if (gateways.size() >= options.gatewaySlots()) {
      throw new IllegalStateException("all " + options.gatewaySlots() + " gateway slots are taken");
    }
    return launchGateway(gateways.isEmpty() ? "gateway" : "gateway-" + (gateways.size() + 1));
  }

  public synchronized int gatewayCount() {
    return gateways.size();
  }

  /** The index of the gateway whose Hazelcast node is {@code node} (from its "up on node [...]" line), if any. */
  public synchronized java.util.Optional<Integer> gatewayOnNode(String node) {
    for (int i = 0; i < gateways.size(); i++) {
      if (gateways.get(i).isAlive() && gateways.get(i).findInLog(GATEWAY_UP).map(node::equals).orElse(false)) {
        return java.util.Optional.of(i);
      }
    }
    return java.util.Optional.empty();
  }

  /** The index of a live gateway other than {@code index}. */
  public synchronized int otherGateway(int index) {
    for (int i = 0; i < gateways.size(); i++) {
      if (i != index && gateways.get(i).isAlive()) {
        return i;
      }
    }
    throw new IllegalStateException("no live gateway besides #" + index);
  }

  /** Workers whose log says their node won a leader election, in start order. */
  public synchronized List<String> workersThatLed() {
    return workers.entrySet().stream().filter(e -> e.getValue().findInLog(LEADS).isPresent())
        .map(Map.Entry::getKey).toList();
  }

  private NodeProcess launchGateway(String name) {
    int httpPort = FreePorts.any();
    GatewayApi api = new GatewayApi(httpPort);
    NodeProcess gateway = track(launcher.start(name, install.gatewayJar(), List.of(),
        environment.gateway(gateways.size(), httpPort, catalog), NodeProcess.InheritedSettings.DROP, runDir));
    gateways.add(gateway);
    gatewayApis.add(api);
    Await.until(name + " " + api.baseUrl() + "/health answers UP", TestTimeouts.seconds(90), () -> {
      requireAlive(gateway);
      return api.healthy();
    });
    return gateway;
  }

  private Path requireCatalog() {
    if (catalog == null) {
      throw new IllegalStateException("start the gateway first: it writes the chamber catalog every node reads");
    }
    return catalog;
  }

  /** Starts a worker with defender id {@code defenderId} in the next free slot; does not wait. */
  public synchronized NodeProcess startWorker(String defenderId) {
    return launchWorker(defenderId, slot -> environment.worker(slot, defenderId, requireCatalog()));
  }

  /**
   * Starts a worker that claims its defender id from a pool of {@code poolSize}, as docker compose
   * runs them ({@code defender.idPool.size}), in the next free slot; {@code name} names the process
   * (a container), not the defender. Does not wait.
   */
  public synchronized NodeProcess startPooledWorker(String name, int poolSize) {
    return launchWorker(name, slot -> environment.pooledWorker(slot, poolSize, requireCatalog()));
  }

  private NodeProcess launchWorker(String name, java.util.function.IntFunction<Map<String, String>> environmentOfSlot) {
    if (workers.containsKey(name)) {
      throw new IllegalStateException("worker " + name + " exists; use worker(id).restart()");
    }
    if (workers.size() >= options.workerSlots()) {
      throw new IllegalStateException("all " + options.workerSlots() + " worker slots are taken");
    }
    NodeProcess worker = track(launcher.start(name, install.workerJar(), List.of(),
        environmentOfSlot.apply(options.gatewaySlots() + workers.size()), NodeProcess.InheritedSettings.DROP, runDir));
    workers.put(name, worker);
    return worker;
  }

  public synchronized NodeProcess worker(String defenderId) {
    NodeProcess worker = workers.get(defenderId);
    if (worker == null) {
      throw new IllegalArgumentException("no worker " + defenderId + "; started: " + workers.keySet());
    }
    return worker;
  }

  /** The first gateway started. */
  public synchronized NodeProcess gateway() {
    return gateways.get(0);
  }

  /** Gateway {@code index} (0 = the first started) and its status API. */
  public synchronized NodeProcess gateway(int index) {
    return gateways.get(index);
  }

  public synchronized GatewayApi api(int index) {
    return gatewayApis.get(index);
  }

  /**
   * Waits until the leader's view (through the gateway) shows exactly {@code defenders} owning every
   * chamber, and has kept the same epoch for {@link #SETTLE_QUIET} — so a recompute still pending
   * right after the last join is not mistaken for the end. Fails at once if the gateway dies.
   */
  public ClusterView awaitSettled(Set<String> defenders, Duration timeout) {
    return awaitSettled("defenders " + defenders, view -> view.settledOn(defenders), timeout);
  }

  /** {@link #awaitSettled(Set, Duration)} for any condition on the leader's view (e.g. an empty catalog). */
  public ClusterView awaitSettled(String what, java.util.function.Predicate<ClusterView> condition, Duration timeout) {
    ClusterView[] last = new ClusterView[1];
    long[] epochSince = {0};
    String description = "cluster settled on " + what + " (same epoch for " + SETTLE_QUIET.toMillis() + " ms)";
    try {
      Await.until(description, timeout, () -> {
        requireAlive(gatewayBehindApi());
        ClusterView view = api().cluster();
        long now = System.nanoTime();
        if (last[0] == null || last[0].epoch() != view.epoch()) {
          epochSince[0] = now;
        }
        last[0] = view;
        return condition.test(view) && now - epochSince[0] >= SETTLE_QUIET.toNanos();
      });
    } catch (Await.TimeoutException notSettled) {
      throw new Await.TimeoutException(notSettled.getMessage() + "; last view: " + last[0], notSettled);
    }
    return last[0];
  }

  private synchronized NodeProcess gatewayBehindApi() {
    return gateways.get(apiOf);
  }

  /** Every process this cluster started, in start order. */
  public List<NodeProcess> processes() {
    return started.processes();
  }

  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs (or ran) anyway
    }
    LOG.log(System.Logger.Level.INFO, "live: cluster [" + clusterName + "] stopped; logs in " + runDir);
  }

  private void destroyAll() {
    started.killAll();
  }

  private NodeProcess track(NodeProcess process) {
    started.add(process);
    LOG.log(System.Logger.Level.INFO, "live: started " + process + ", log " + process.log());
    return process;
  }

  private void awaitNatsListening() {
    Await.until("nats-server listening on port " + natsPort, TestTimeouts.seconds(30), () -> {
      requireAlive(nats);
      return LocalPort.accepts(natsPort);
    });
  }

  private static void requireAlive(NodeProcess process) {
    process.requireAlive();
  }
}
