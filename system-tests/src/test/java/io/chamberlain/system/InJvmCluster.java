package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.config.ClusterSettings;
import io.chamberlain.config.GatewayConfig;
import io.chamberlain.config.HttpSecurity;
import io.chamberlain.config.NatsSettings;
import io.chamberlain.config.LeaderSettings;
import io.chamberlain.config.WorkerConfig;
import io.chamberlain.gateway.GatewayNode;
import io.chamberlain.leader.LeaderTuning;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.testkit.TestClusters;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.worker.WorkerNode;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PushSubscribeOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A whole Chamberlain in this JVM, on real parts: a real {@code nats-server -js}, a clustered
 * gateway (the only leader candidate, so the leader is known) and clustered workers — each a
 * Hazelcast member on 127.0.0.1 of a cluster with a unique name — plus a plain NATS client.
 */
final class InJvmCluster implements AutoCloseable {

  static final String ADMIN_TOKEN = "test-admin-token";
  /** The completions stream's size limit ({@code ingest.stream.maxMegabytes}) unless a test sets it. */
  static final long COMPLETIONS_MAX_BYTES = 64L << 20;
  /** Heartbeats every 500 ms, dead after 3 s: tests see crashes handled quickly. */
  static final LeaderTuning FAST = fastTuning();

  final NatsTestServer natsServer;
  GatewayNode gateway;
  final List<WorkerNode> workers = new ArrayList<>();
  Connection client;
  private final Path catalog;
  private GatewayConfig gatewayConfig;

  /** One HTTP/1.1 client for every test request (each request bounded by its own timeout). */
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(seconds(10)).build();

  InJvmCluster(String catalogYaml, int workerCount) throws Exception {
    this(catalogYaml, workerCount, GatewayConfig.IngestSettings.DEFAULT_MAX_EVENT_BYTES);
  }

  /** @param maxEventBytes the gateway's {@code ingest.maxEventBytes} */
  InJvmCluster(String catalogYaml, int workerCount, int maxEventBytes) throws Exception {
    this(catalogYaml, workerCount, maxEventBytes, HttpSecurity.OPEN, "");
  }

  /** @param http the gateway's status API security ({@code http.readToken}, TLS, …) */
  InJvmCluster(String catalogYaml, int workerCount, int maxEventBytes, HttpSecurity http) throws Exception {
    this(catalogYaml, workerCount, maxEventBytes, http, "");
  }

  /** @param defenseProcessesFile the workers' {@code defense.processesFile} ("" for the built-in process) */
  InJvmCluster(String catalogYaml, int workerCount, int maxEventBytes, String defenseProcessesFile) throws Exception {
    this(catalogYaml, workerCount, maxEventBytes, HttpSecurity.OPEN, defenseProcessesFile, COMPLETIONS_MAX_BYTES);
  }

  /** A cluster whose completions stream holds at most {@code completionsMaxBytes} (ingest.stream.maxMegabytes in bytes). */
  static InJvmCluster withCompletionsMaxBytes(String catalogYaml, int workerCount, long completionsMaxBytes)
      throws Exception {
    return new InJvmCluster(catalogYaml, workerCount, GatewayConfig.IngestSettings.DEFAULT_MAX_EVENT_BYTES,
        HttpSecurity.OPEN, "", completionsMaxBytes);
  }

  private InJvmCluster(String catalogYaml, int workerCount, int maxEventBytes, HttpSecurity http,
      String defenseProcessesFile) throws Exception {
    this(catalogYaml, workerCount, maxEventBytes, http, defenseProcessesFile, COMPLETIONS_MAX_BYTES);
  }

  private InJvmCluster(String catalogYaml, int workerCount, int maxEventBytes, HttpSecurity http,
      String defenseProcessesFile, long completionsMaxBytes) throws Exception {
    natsServer = NatsTestServer.start();
    catalog = Files.createTempFile("chambers-", ".yaml");
    try {
      TestClusters cluster = new TestClusters(1 + workerCount);
      Files.writeString(catalog, catalogYaml);
      LeaderSettings leads = new LeaderSettings(true, catalog.toString(), FAST, AssignmentTuning.DEFAULT);
      LeaderSettings follows = new LeaderSettings(false, catalog.toString(), FAST, AssignmentTuning.DEFAULT);
      GatewayConfig gatewayConfig = new GatewayConfig(cluster.member(0), NatsSettings.plain(natsServer.url()), 1, "127.0.0.1",
          TestClusters.freePort(),
          new GatewayConfig.IngestSettings("memory", Duration.ofHours(1), completionsMaxBytes, Duration.ofSeconds(10), 1000,
              Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(1_700), Duration.ofMillis(100),
              Duration.ofSeconds(1), 3, 1, maxEventBytes),
          ADMIN_TOKEN, Duration.ofSeconds(5), leads, http);
      this.gatewayConfig = gatewayConfig;
      gateway = GatewayNode.start(gatewayConfig).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      for (int i = 1; i <= workerCount; i++) {
        WorkerConfig config = new WorkerConfig(cluster.member(i), NatsSettings.plain(natsServer.url()), 1, "defender-" + i, "1.0.0", 1.0,
            Duration.ofMillis(FAST.heartbeatIntervalMillis()), Duration.ofSeconds(10), 2, defenseProcessesFile, 0.0, follows,
            "127.0.0.1", 0);
        workers.add(WorkerNode.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
      }
      client = Nats.connect(natsServer.url());
      awaitLeader();
    } catch (Exception | Error failed) {
      // A cluster that did not start must not leave its nats-server or nodes behind for the next test.
      try {
        close();
      } catch (Exception cleanup) {
        failed.addSuppressed(cleanup);
      }
      throw failed;
    }
  }

  /**
   * Stops the gateway (gracefully: the leader it runs steps down) and starts a new one with the same
   * configuration on a new Hazelcast port, joining through the workers: the new gateway becomes the next
   * leader (the only candidate) and claims the next term.
   */
  void restartGateway() throws Exception {
    gateway.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    gateway = null;
    gatewayConfig = new GatewayConfig(memberBeside(workers.get(0).node().clusterManager().getHazelcastInstance()),
        gatewayConfig.nats(), gatewayConfig.natsReplicas(), gatewayConfig.httpHost(), TestClusters.freePort(),
        gatewayConfig.ingest(), gatewayConfig.adminToken(), gatewayConfig.sla(), gatewayConfig.leader(), gatewayConfig.http());
    gateway = GatewayNode.start(gatewayConfig).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    awaitLeader();
  }

  /**
   * Until a leader answers for the assignment: a leader registers its addresses after its election and
   * its takeover, and tests that ask it before that would get "no handlers".
   */
  private void awaitLeader() {
    org.awaitility.Awaitility.await("a leader answering").atMost(seconds(60)).ignoreExceptions()
        .until(() -> request(Addresses.ASSIGNMENT_CURRENT, new JsonObject()) != null);
  }

  /** Settings for a new member of {@code hazelcast}'s cluster on a free port, its members as seeds. */
  private static ClusterSettings memberBeside(com.hazelcast.core.HazelcastInstance hazelcast) throws java.io.IOException {
    int port = TestClusters.freePort();
    List<String> members = new ArrayList<>();
    hazelcast.getCluster().getMembers().forEach(member ->
        members.add(member.getAddress().getHost() + ":" + member.getAddress().getPort()));
    members.add("127.0.0.1:" + port);
    return new ClusterSettings(hazelcast.getConfig().getClusterName(), "127.0.0.1", port, false, members);
  }

  /**
   * Starts one more worker, defender {@code defenderId}, as the constructor starts them (same NATS, catalog and
   * tuning), on a new Hazelcast port: it joins through the members the gateway sees now. Appended to
   * {@link #workers}, so {@link #close()} stops it too.
   */
  WorkerNode addWorker(String defenderId) throws Exception {
    ClusterSettings settings = memberBeside(gateway.node().clusterManager().getHazelcastInstance());
    LeaderSettings follows = new LeaderSettings(false, catalog.toString(), FAST, AssignmentTuning.DEFAULT);
    WorkerConfig config = new WorkerConfig(settings, NatsSettings.plain(natsServer.url()), 1, defenderId, "1.0.0", 1.0,
        Duration.ofMillis(FAST.heartbeatIntervalMillis()), Duration.ofSeconds(10), 2, "", 0.0, follows, "127.0.0.1", 0);
    WorkerNode worker = WorkerNode.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    workers.add(worker);
    return worker;
  }

  /**
   * Ends worker {@code index} (0-based in {@link #workers}) as a crash looks to the cluster ({@link WorkerNode#halt()}):
   * it leaves Hazelcast and its heartbeats stop, without {@link WorkerNode#stop()}'s restart announcement, so the
   * leader declares the defender dead and moves its chambers instead of holding them for a restart. Removed from
   * {@link #workers}; returns its defender id.
   */
  String killWorker(int index) throws Exception {
    WorkerNode worker = workers.remove(index);
    worker.halt().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return worker.defenderId();
  }

  long streamCount(String stream) throws Exception {
    return client.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
  }

  /** Up to {@code expected} messages of {@code stream}, in stream order (an ordered consumer). */
  List<Message> read(String stream, String subject, int expected) throws Exception {
    JetStreamSubscription subscription = client.jetStream().subscribe(subject,
        PushSubscribeOptions.builder().stream(stream).ordered(true).build());
    List<Message> messages = new ArrayList<>();
    try {
      for (int i = 0; i < expected; i++) {
        Message message = subscription.nextMessage(seconds(10));
        if (message == null) {
          break;
        }
        messages.add(message);
      }
    } finally {
      subscription.unsubscribe();
    }
    return messages;
  }

  JsonObject request(String address, JsonObject body) throws Exception {
    return gateway.node().vertx().eventBus().<JsonObject>request(address, body)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
  }

  AssignmentSnapshot currentAssignment() throws Exception {
    return AssignmentSnapshot.fromJson(request(Addresses.ASSIGNMENT_CURRENT, new JsonObject()));
  }

  JsonObject api(String path) throws Exception {
    return new JsonObject(http(path));
  }

  int gatewayPort() {
    return gateway.httpPort();
  }

  String http(String path) throws Exception {
    return get(gateway.httpPort(), path).body();
  }

  /** A GET on this machine's {@code port} (the gateway's or a worker's). */
  static HttpResponse<String> get(int port, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(seconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs to the status API; {@code token} may be null. */
  HttpResponse<String> post(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + path))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(request.timeout(seconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    try {
      if (client != null) {
        client.close();
      }
      for (WorkerNode worker : workers) {
        worker.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      if (gateway != null) {
        gateway.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      natsServer.close();
      Files.deleteIfExists(catalog);
    }
  }

  private static LeaderTuning fastTuning() {
    LeaderTuning t = LeaderTuning.DEFAULT;
    return new LeaderTuning(500, 6, t.firstRoundQuietMillis(), t.firstRoundMaxDelayMillis(), t.settleQuietMillis(),
        t.intermediateRoundMillis(), t.scalingQuietMillis(), t.scalingMaxWindowMillis(), t.restartGraceMillis(),
        t.chamberBatchMillis(), t.emergencySettleMillis(), t.suspectedSilenceMillis());
  }
}
