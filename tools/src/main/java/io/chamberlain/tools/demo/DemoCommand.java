package io.chamberlain.tools.demo;

import io.chamberlain.tools.launch.ChamberlainInstall;
import io.chamberlain.tools.launch.FreePorts;
import io.chamberlain.tools.launch.NodeGroup;
import io.chamberlain.tools.launch.NodeLauncher;
import io.chamberlain.tools.launch.NodeProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chamberlain demo}: a whole cluster on this machine — NATS with JetStream in a temporary
 * directory, one gateway, N workers and the simulated collector, each its own process started the
 * way the live harness starts them ({@link NodeLauncher}: this JVM's java, the launcher's JVM options,
 * each node's log in the demo's directory) — with a live one-line summary. Ctrl-C (or
 * {@code --duration}) stops every process it started, newest first: the Java nodes gracefully
 * (SIGTERM), anything still alive after a grace period forcibly ({@link NodeGroup#stopAll}). The
 * nodes keep the user's own {@code CHAMBERLAIN_*} settings under the ones the demo sets.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Runs NATS, a gateway, workers and the simulated collector on this machine.")
public final class DemoCommand implements Callable<Integer> {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STARTUP_POLL_INTERVAL = Duration.ofMillis(250);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  @Option(names = "--workers", defaultValue = "3", description = "number of workers (default: ${DEFAULT-VALUE})")
  int workers;

  @Option(names = "--rate", defaultValue = "10", description = "completion events per second (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--http-port", defaultValue = "8080", description = "status API port (default: ${DEFAULT-VALUE})")
  int httpPort;

  @Option(names = "--cluster-port", defaultValue = "5701",
      description = "first Hazelcast port; nodes use consecutive ports (default: ${DEFAULT-VALUE})")
  int clusterPort;

  @Option(names = "--chambers", defaultValue = "config/chambers.yaml", description = "chamber catalog (default: ${DEFAULT-VALUE})")
  String chambersFile;

  @Option(names = "--nats-server", defaultValue = "nats-server", description = "nats-server binary (default: ${DEFAULT-VALUE} on PATH, or /usr/sbin/nats-server)")
  String natsServer;

  @Option(names = "--gateway-jar", defaultValue = "gateway/target/chamberlain-gateway-all.jar", description = "gateway jar (default: ${DEFAULT-VALUE})")
  Path gatewayJar;

  @Option(names = "--worker-jar", defaultValue = "worker/target/chamberlain-worker-all.jar", description = "worker jar (default: ${DEFAULT-VALUE})")
  Path workerJar;

  @Option(names = "--duration", defaultValue = "0", description = "stop after this many seconds (0 = until Ctrl-C)")
  long durationSeconds;

  @Option(names = "--summary-every", defaultValue = "2", description = "seconds between summary lines (default: ${DEFAULT-VALUE})")
  long summaryEverySeconds;

  private final NodeGroup processes = new NodeGroup();
  /** Set once Ctrl-C (or the end of --duration) began stopping everything: exits are expected now. */
  private volatile boolean stopping;

  @Override
  public Integer call() throws Exception {
    if (workers < 1) {
      throw new IllegalArgumentException("--workers must be ≥ 1, was " + workers);
    }
    for (Path jar : List.of(gatewayJar, workerJar)) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException(jar + " is missing; build it first (bin/chamberlain build)");
      }
    }
    Path nats = natsServer();
    // bin/chamberlain runs the demo from the project root: the default paths and config/jvm.options are there
    NodeLauncher launcher = NodeLauncher.of(NodeLauncher.launcherJvmOptions(System.getenv(), Path.of("")));
    Path runDir = Files.createTempDirectory("chamberlain-demo-");
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "chamberlain-demo-stop"));
    int natsPort = FreePorts.any();
    String natsUrl = "nats://127.0.0.1:" + natsPort;
    String clusterName = "demo-" + UUID.randomUUID().toString().substring(0, 8);
    String members = IntStream.rangeClosed(0, workers)
        .mapToObj(i -> "127.0.0.1:" + (clusterPort + i)).collect(Collectors.joining(","));
    Map<String, String> common = Map.of(
        "CHAMBERLAIN_NATS_URL", natsUrl,
        "CHAMBERLAIN_CLUSTER_NAME", clusterName,
        "CHAMBERLAIN_CLUSTER_MEMBERS", members,
        "CHAMBERLAIN_CLUSTER_PORT_AUTO_INCREMENT", "false",
        // Every node may lead, so every node must know the same catalog.
        "CHAMBERLAIN_CHAMBERS_FILE", chambersFile);

    System.out.println("demo: logs and JetStream data in " + runDir);
    processes.add(NodeProcess.start("nats", NodeLauncher.natsServer(nats, natsPort, runDir.resolve("jetstream")), Map.of(),
        NodeProcess.InheritedSettings.KEEP, runDir));
    awaitPort(natsPort);

    Map<String, String> gatewayEnv = new java.util.HashMap<>(common);
    gatewayEnv.put("CHAMBERLAIN_CLUSTER_PORT", Integer.toString(clusterPort));
    gatewayEnv.put("CHAMBERLAIN_HTTP_PORT", Integer.toString(httpPort));
    start(launcher, "gateway", gatewayJar, List.of(), gatewayEnv, runDir);
    for (int i = 1; i <= workers; i++) {
      Map<String, String> workerEnv = new java.util.HashMap<>(common);
      workerEnv.put("CHAMBERLAIN_CLUSTER_PORT", Integer.toString(clusterPort + i));
      workerEnv.put("CHAMBERLAIN_DEFENDER_ID", "defender-" + i);
      workerEnv.put("CHAMBERLAIN_HTTP_HOST", "127.0.0.1");
      workerEnv.put("CHAMBERLAIN_HTTP_PORT", Integer.toString(httpPort + i)); // its /health, /ready, /metrics
      start(launcher, "worker-" + i, workerJar, List.of(), workerEnv, runDir);
    }
    String api = "http://127.0.0.1:" + httpPort;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    awaitHttp(http, api + "/health");
    long readyAfter = awaitEveryChamberOwned(http, api);
    System.out.println("demo: " + workers + " defenders own every chamber, " + readyAfter + " ms after the gateway"
        + " was up; starting the collector");
    start(launcher, "collector", ownJar(),
        List.of("collector", "--nats", natsUrl, "--chambers", chambersFile, "--rate", Double.toString(rate)), Map.of(), runDir);

    System.out.println("demo: dashboard   " + api + "/");
    System.out.println("demo: status API  " + api + "/api/cluster   stats " + api + "/api/stats   metrics " + api + "/metrics");
    System.out.println("demo: workers' /health /ready /metrics on ports " + (httpPort + 1) + "–" + (httpPort + workers));
    System.out.println("demo: " + workers + " workers, " + rate + " events/s; Ctrl-C stops everything");
    printSummaries(http, api);
    return 0;
  }

  private void printSummaries(HttpClient http, String api) throws InterruptedException {
    long deadline = durationSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
    long lastProcessed = 0;
    long lastAt = System.nanoTime();
    while (System.nanoTime() < deadline && !stopping) {
      Thread.sleep(TimeUnit.SECONDS.toMillis(summaryEverySeconds)); // pacing of the display, not synchronisation
      if (stopping) {
        return;
      }
      try {
        JsonObject stats = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(api + "/api/stats")).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        long processed = stats.getLong("processed");
        long now = System.nanoTime();
        double perSecond = (processed - lastProcessed) * 1e9 / (now - lastAt);
        lastProcessed = processed;
        lastAt = now;
        JsonObject latency = stats.getJsonObject("latencyMillis");
        System.out.printf("demo: %6.1f events/s | processed %d | latency p50 %.0f ms p99 %.0f ms | SLA breaches %d | retried %d | dead letters %d%n",
            perSecond, processed, latency.getDouble("p50", 0.0), latency.getDouble("p99", 0.0),
            stats.getLong("slaBreaches"), stats.getLong("retried"), stats.getLong("deadLettered"));
      } catch (IOException | RuntimeException e) {
        System.out.println("demo: status API not answering: " + e.getMessage());
      }
      requireAllAlive();
    }
  }

  /** Until the demo stops: every process it started is still running, or the demo fails naming the one that exited. */
  private void requireAllAlive() {
    if (!stopping) {
      processes.requireAllAlive();
    }
  }

  /** A Java process of the demo: the JVM options of bin/chamberlain's nodes, the user's CHAMBERLAIN_* kept. */
  private void start(NodeLauncher launcher, String name, Path jar, List<String> args, Map<String, String> env, Path runDir) {
    processes.add(launcher.start(name, jar, args, env, NodeProcess.InheritedSettings.KEEP, runDir));
  }

  /** The tools jar this command runs from: it also runs the collector. */
  private static Path ownJar() throws Exception {
    return Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private Path natsServer() {
    try {
      return ChamberlainInstall.findNatsServer(natsServer);
    } catch (IllegalStateException notFound) {
      throw new IllegalStateException(notFound.getMessage() + ", or pass --nats-server PATH", notFound);
    }
  }

  /** Stops the newest process first (collector, workers, gateway, NATS last). */
  private void stopAll() {
    stopping = true;
    System.out.println("demo: stopped " + processes.stopAll(STOP_GRACE) + " processes");
  }

  private void awaitPort(int port) throws InterruptedException {
    awaitStartup("nothing listened on port " + port + " within " + STARTUP_TIMEOUT, () -> {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return true;
      }
    });
  }

  /**
   * Waits until all workers are live and every chamber has an owner, so the first events do not
   * queue behind JVM start-up (they would wait, not be lost); returns how long that took.
   */
  private long awaitEveryChamberOwned(HttpClient http, String api) throws InterruptedException {
    return awaitStartup("the " + workers + " workers did not own every chamber within " + STARTUP_TIMEOUT
        + "; see the logs in the demo's directory", () -> {
          try {
            JsonObject cluster = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(api + "/api/cluster")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
            long live = cluster.getJsonArray("defenders", new io.vertx.core.json.JsonArray()).stream()
                .filter(d -> "LIVE".equals(((JsonObject) d).getString("status"))).count();
            return live == workers && cluster.getInteger("chambers", 0) > 0 && cluster.getLong("unownedChambers", -1L) == 0;
          } catch (RuntimeException notYet) {
            return false; // no leader yet: the status API answers, but not the cluster's view
          }
        }).toMillis();
  }

  private void awaitHttp(HttpClient http, String url) throws InterruptedException {
    awaitStartup(url + " did not answer 200 within " + STARTUP_TIMEOUT + "; see the gateway log",
        () -> http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200);
  }

  /** A start-up condition of {@link #awaitStartup}: true once met; an {@link IOException} means "not up yet". */
  @FunctionalInterface
  private interface StartupCondition {
    boolean met() throws IOException, InterruptedException;
  }

  /**
   * The demo's one bounded wait: polls {@code condition} at once, then every {@link #STARTUP_POLL_INTERVAL},
   * until it holds (returns how long that took), failing at once when a process the demo started has
   * exited and with {@code failure} after {@link #STARTUP_TIMEOUT}. Hand-written on purpose: Awaitility
   * — what every test and the live harness wait with — is a test library the tools jar does not carry.
   */
  private Duration awaitStartup(String failure, StartupCondition condition) throws InterruptedException {
    long start = System.nanoTime();
    while (true) {
      requireAllAlive();
      try {
        if (condition.met()) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (IOException notYet) {
        // nothing listening yet
      }
      if (System.nanoTime() - start >= STARTUP_TIMEOUT.toNanos()) {
        throw new IllegalStateException(failure);
      }
      Thread.sleep(STARTUP_POLL_INTERVAL.toMillis()); // polling interval of the one bounded wait
    }
  }
}
