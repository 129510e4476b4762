package io.chamberlain.system.live;

import io.chamberlain.nats.LaneMappingConfig;
import io.chamberlain.testkit.TestTimeouts;
import io.chamberlain.tools.launch.FreePorts;
import io.chamberlain.tools.launch.NodeProcess;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.Replica;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A JetStream cluster of {@code size} nats-server processes on 127.0.0.1, as an operator runs one
 * ({@code config/nats-cluster-node.conf}): each server named ({@code server_name} n1, n2, …) with its
 * own client, route and monitoring port and its own store directory, every server listing every
 * route. Started, it has elected a JetStream meta leader: every server's {@code /healthz} answers ok
 * (nats-server 2.9 says ok only once JetStream is up and current with the meta group).
 *
 * <p>One server can be {@linkplain #kill9 killed} and {@linkplain #restart restarted} on the same
 * ports and store, and which server leads a stream is read from JetStream
 * ({@link #streamLeader}) — so a test kills exactly the leader of the stream it cares about.
 */
public final class NatsCluster implements AutoCloseable {

  /** The cluster's name in every server's {@code cluster { name }}. */
  static final String NAME = "chamberlain-nats";

  private final Path binary;
  private final Path dir;
  private final Map<String, Server> servers = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static final class Server {
    final String name;
    final int clientPort;
    final int monitorPort;
    final Path config;
    NodeProcess process;

    Server(String name, int clientPort, int monitorPort, Path config) {
      this.name = name;
      this.clientPort = clientPort;
      this.monitorPort = monitorPort;
      this.config = config;
    }
  }

  private NatsCluster(Path binary, Path dir) {
    this.binary = binary;
    this.dir = dir;
  }

  /**
   * Plans {@code size} servers of {@code binary} under {@code dir} (configuration, stores, logs):
   * takes their ports and writes their configuration files, mapping completions into {@code lanes}
   * lanes if above 1. {@link #urls} is known from here on; {@link #start} starts them.
   */
  public static NatsCluster configure(Path binary, Path dir, int size, int lanes) {
    if (size < 1) {
      throw new IllegalArgumentException("a NATS cluster needs at least one server, got " + size);
    }
    NatsCluster cluster = new NatsCluster(binary, dir);
    List<int[]> ports = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(new int[] {FreePorts.any(), FreePorts.any(), FreePorts.any()});
    }
    String routes = ports.stream().map(p -> "nats-route://127.0.0.1:" + p[1]).collect(Collectors.joining(", "));
    for (int i = 0; i < size; i++) {
      String name = "n" + (i + 1);
      int[] p = ports.get(i);
      cluster.servers.put(name, new Server(name, p[0], p[2], cluster.writeConfig(name, p[0], p[1], p[2], routes, lanes)));
    }
    return cluster;
  }

  /**
   * Starts every server and waits until each is healthy. {@code track} is told of each process as it
   * starts (a harness that kills everything it started).
   */
  public synchronized NatsCluster start(UnaryOperator<NodeProcess> track) {
    for (Server server : servers.values()) {
      server.process = track.apply(NodeProcess.start("nats-" + server.name,
          List.of(binary.toString(), "-c", server.config.toString()), Map.of(), dir));
    }
    for (String name : servers.keySet()) {
      awaitHealthy(name, TestTimeouts.seconds(60));
    }
    return this;
  }

  private Path writeConfig(String name, int clientPort, int routePort, int monitorPort, String routes, int lanes) {
    String config = "server_name: " + name + "\n"
        + "listen: 127.0.0.1:" + clientPort + "\n"
        + "http: 127.0.0.1:" + monitorPort + "\n"
        + "jetstream { store_dir: \"" + dir.resolve("store-" + name) + "\" }\n"
        + "cluster {\n  name: " + NAME + "\n  listen: 127.0.0.1:" + routePort + "\n  routes: [" + routes + "]\n}\n"
        + (lanes > 1 ? LaneMappingConfig.render(lanes) : "");
    try {
      Files.createDirectories(dir);
      return Files.writeString(dir.resolve("nats-" + name + ".conf"), config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the configuration of nats-server " + name + " in " + dir, e);
    }
  }

  /** Every server's client URL, comma-separated: what {@code nats.url} lists. */
  public String urls() {
    return servers.values().stream().map(s -> "nats://127.0.0.1:" + s.clientPort).collect(Collectors.joining(","));
  }

  /** The client URL of server {@code name} alone: a client connected to it reads through that server. */
  public String url(String name) {
    return "nats://127.0.0.1:" + server(name).clientPort;
  }

  public List<String> serverNames() {
    return List.copyOf(servers.keySet());
  }

  public NodeProcess process(String name) {
    return server(name).process;
  }

  /** SIGKILLs server {@code name} and waits until it is gone. */
  public void kill9(String name) {
    NodeProcess process = server(name).process;
    process.kill9();
    process.awaitExit(TestTimeouts.seconds(30));
  }

  /** Starts server {@code name} again (same ports, same store) and waits until it is healthy: caught up with the meta group. */
  public void restart(String name) {
    server(name).process.restart();
    awaitHealthy(name, TestTimeouts.seconds(60));
  }

  /** The name of the server leading {@code stream} (its Raft group's leader), as JetStream reports it. */
  public static String streamLeader(Connection nats, String stream) throws IOException, JetStreamApiException {
    ClusterInfo cluster = nats.jetStreamManagement().getStreamInfo(stream).getClusterInfo();
    if (cluster == null || cluster.getLeader() == null) {
      throw new IllegalStateException("stream " + stream + " has no leader (cluster info: " + cluster + ")");
    }
    return cluster.getLeader();
  }

  /**
   * Whether {@code stream} has a leader and {@code replicas - 1} other replicas that are all current
   * (none offline or behind): the stream is whole again after a server came back.
   */
  public static boolean streamCurrent(Connection nats, String stream, int replicas) throws IOException, JetStreamApiException {
    StreamInfo info = nats.jetStreamManagement().getStreamInfo(stream);
    ClusterInfo cluster = info.getClusterInfo();
    if (cluster == null || cluster.getLeader() == null) {
      return false;
    }
    List<Replica> others = cluster.getReplicas() == null ? List.of() : cluster.getReplicas();
    return others.size() == replicas - 1 && others.stream().allMatch(r -> r.isCurrent() && !r.isOffline());
  }

  private void awaitHealthy(String name, Duration timeout) {
    Server server = server(name);
    HttpRequest healthz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.monitorPort + "/healthz"))
        .timeout(Duration.ofSeconds(2)).build();
    Await.until("nats-server " + name + " /healthz ok (JetStream up, meta leader known)", timeout, () -> {
      server.process.requireAlive();
      try {
        HttpResponse<String> response = http.send(healthz, HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 && response.body().contains("\"ok\"");
      } catch (IOException notYet) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for nats-server " + name, e);
      }
    });
  }

  private Server server(String name) {
    Server server = servers.get(name);
    if (server == null) {
      throw new IllegalArgumentException("no nats-server " + name + "; the cluster has " + servers.keySet());
    }
    return server;
  }

  /** SIGKILLs every server still running. */
  @Override
  public void close() {
    servers.values().stream().filter(s -> s.process != null).forEach(s -> s.process.destroy());
  }
}
