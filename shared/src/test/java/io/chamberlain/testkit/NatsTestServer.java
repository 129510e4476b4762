package io.chamberlain.testkit;

import io.nats.NatsServerRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.logging.Level;
import org.awaitility.Awaitility;

/**
 * A real {@code nats-server -js} on a free port with its own JetStream store in a temporary
 * directory (found through env {@code nats_server_path}, PATH, or /usr/sbin as Debian installs it).
 * {@link #start} returns once the server accepts connections.
 */
public final class NatsTestServer implements AutoCloseable {

  private final NatsServerRunner runner;
  private final Path storeDir;

  private NatsTestServer(NatsServerRunner runner, Path storeDir) {
    this.runner = runner;
    this.storeDir = storeDir;
  }

  public static NatsTestServer start() throws Exception {
    return start("");
  }

  /** A server whose configuration file also holds {@code extraConfig} (e.g. subject mappings). */
  public static NatsTestServer start(String extraConfig) throws Exception {
    return start(extraConfig, "");
  }

  /**
   * A server whose {@code jetstream} block also holds {@code jetStreamConfig} (e.g.
   * {@code max_file_store: 64KB}, a "disk" that fills up).
   */
  public static NatsTestServer start(String extraConfig, String jetStreamConfig) throws Exception {
    Path storeDir = Files.createTempDirectory("chamberlain-nats-");
    java.util.List<String> config = new java.util.ArrayList<>(
        java.util.List.of("jetstream { store_dir: \"" + storeDir + "\"\n" + jetStreamConfig + "\n}", "host: 127.0.0.1"));
    extraConfig.lines().forEach(config::add);
    NatsServerRunner.Builder builder = NatsServerRunner.builder()
        .jetstream(true)
        .outputLevel(Level.WARNING)
        .configInserts(config.toArray(String[]::new));
    String path = System.getenv("nats_server_path");
    if ((path == null || path.isBlank()) && Files.isExecutable(Path.of("/usr/sbin/nats-server"))) {
      path = "/usr/sbin/nats-server";
    }
    if (path != null && !path.isBlank()) {
      builder.executablePath(path);
    }
    // The runner's own start check (connect, send CONNECT, read two lines) returns only once a server
    // without auth or TLS sends its second line, a PING about 2 s later: skipped, see awaitListening.
    NatsTestServer server = new NatsTestServer(builder.skipConnectValidate().build(), storeDir);
    try {
      server.awaitListening();
    } catch (RuntimeException | Error notStarted) {
      server.close();
      throw notStarted;
    }
    return server;
  }

  /**
   * Waits, bounded, until the server's client port accepts connections; nats-server opens it last,
   * after JetStream is up. Fails at once if the server exited (a bad configuration, a taken port).
   */
  private void awaitListening() {
    ProcessHandle process = process();
    int port = port();
    Awaitility.await("nats-server listening on port " + port + ": " + runner.getCmdLine())
        .atMost(TestTimeouts.seconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).pollInSameThread()
        .until(() -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("nats-server exited before it listened: " + runner.getCmdLine());
          }
          return LocalPort.accepts(port);
        });
  }

  /** The nats-server process the runner started: the child of this JVM run with the runner's config file. */
  private ProcessHandle process() {
    String configFile = runner.getConfigFile();
    return ProcessHandle.current().children()
        .filter(child -> child.info().arguments().map(args -> Arrays.asList(args).contains(configFile)).orElse(false))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("nats-server is not running (it exited at start?): "
            + runner.getCmdLine()));
  }

  public String url() {
    return "nats://127.0.0.1:" + runner.getPort();
  }

  public int port() {
    return runner.getPort();
  }

  @Override
  public void close() throws Exception {
    runner.close();
    try (var files = Files.walk(storeDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
