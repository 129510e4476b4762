package io.chamberlain.system;

import static io.chamberlain.testkit.Timing.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.config.GatewayConfig;
import io.chamberlain.config.LeaderSettings;
import io.chamberlain.leader.LeaderTuning;
import io.chamberlain.config.WorkerConfig;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.gateway.GatewayNode;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.testkit.TestClusters;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.CompletionCodec;
import io.chamberlain.wire.Subjects;
import io.chamberlain.worker.WorkerNode;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.impl.Headers;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The walking skeleton end to end, on real parts: a real {@code nats-server -js}, a clustered
 * gateway and two clustered workers (three Hazelcast members on 127.0.0.1, unique cluster name),
 * events published by a plain NATS client. Checks every guarantee of the event path: one verdict
 * per event, per-chamber order, processed by the chamber's owner, malformed events dead-lettered
 * with a reason without stopping the rest, unknown chambers registered on first sight.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventPathIT {

  private static final int CATALOG_CHAMBERS = 10;
  private static final int DISCOVERED_CHAMBERS = 15;
  private static final int EVENTS_PER_CHAMBER = 6;

  private NatsTestServer natsServer;
  private GatewayNode gateway;
  private final List<WorkerNode> workers = new ArrayList<>();
  private Connection client;
  private Path catalog;

  @BeforeAll
  void startCluster() throws Exception {
    natsServer = NatsTestServer.start();
    TestClusters cluster = new TestClusters(3);
    catalog = Files.createTempFile("chambers-", ".yaml");
    StringBuilder yaml = new StringBuilder("chambers:\n");
    for (int i = 1; i <= CATALOG_CHAMBERS; i++) {
      yaml.append(String.format("  - { tool: tool%03d, chamber: \"1\", svidCount: 50, hz: 2, contextSeconds: %d }%n", i, 100 * i));
    }
    Files.writeString(catalog, yaml);
    LeaderTuning t = LeaderTuning.DEFAULT;
    LeaderTuning fastHeartbeats = new LeaderTuning(500, 6, t.firstRoundQuietMillis(), t.firstRoundMaxDelayMillis(),
        t.settleQuietMillis(), t.intermediateRoundMillis(), t.scalingQuietMillis(), t.scalingMaxWindowMillis(),
        t.restartGraceMillis(), t.chamberBatchMillis(), t.emergencySettleMillis());
    LeaderSettings leads = new LeaderSettings(true, catalog.toString(), fastHeartbeats, AssignmentTuning.DEFAULT);
    LeaderSettings follows = new LeaderSettings(false, catalog.toString(), fastHeartbeats, AssignmentTuning.DEFAULT);
    GatewayConfig gatewayConfig = new GatewayConfig(cluster.member(0), natsServer.url(), "127.0.0.1",
        TestClusters.freePort(),
        new GatewayConfig.IngestSettings("memory", Duration.ofHours(1), 64L << 20, Duration.ofSeconds(10), 1000,
            Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1), 3),
        "", Duration.ofSeconds(5), leads);
    gateway = GatewayNode.start(gatewayConfig).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    for (int i = 1; i <= 2; i++) {
      WorkerConfig config = new WorkerConfig(cluster.member(i), natsServer.url(), "defender-" + i, "1.0.0", 1.0,
          Duration.ofMillis(500), 2, "", 0.0, follows);
      workers.add(WorkerNode.start(config)
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
    }
    client = Nats.connect(natsServer.url());
    await("both defenders own catalog chambers").atMost(seconds(30)).until(() -> {
      JsonObject status = api("/api/cluster");
      return status.getJsonArray("defenders").size() == 2 && status.getLong("unownedChambers") == 0
          && status.getJsonArray("defenders").stream().allMatch(d -> ((JsonObject) d).getInteger("chambers") > 0);
    });
  }

  @AfterAll
  void stopCluster() throws Exception {
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
      if (natsServer != null) {
        natsServer.close();
      }
      Files.deleteIfExists(catalog);
    }
  }

  @Test
  void everyEventGetsOneVerdictFromItsOwnerInOrderAndMalformedOnesAreDeadLettered() throws Exception {
    List<ChamberKey> chambers = new ArrayList<>();
    for (int i = 1; i <= CATALOG_CHAMBERS + DISCOVERED_CHAMBERS; i++) {
      chambers.add(new ChamberKey(String.format("tool%03d", i), "1"));
    }
    JetStream jetStream = client.jetStream();
    Map<ChamberKey, List<String>> published = new TreeMap<>();
    List<String> malformed = List.of(
        "not json at all",
        "{\"toolId\":\"tool001\",\"chamberId\":\"1\",\"contextId\":\"c\"}",
        "{\"toolId\":\"tool001\",\"chamberId\":\"2\",\"contextId\":\"c\",\"completedAt\":1}",
        "{\"toolId\":\"tool001\",\"chamberId\":\"1\",\"contextId\":\"c.1\",\"completedAt\":1}");
    int malformedSent = 0;
    for (int round = 0; round < EVENTS_PER_CHAMBER; round++) {
      for (ChamberKey chamber : chambers) {
        CompletionEvent event = new CompletionEvent(chamber, "ctx-" + chamber.toolId() + "-" + round,
            System.currentTimeMillis(), null);
        jetStream.publish(Subjects.completed(chamber), new Headers().put("Nats-Msg-Id", event.contextId()),
            CompletionCodec.toJson(event).toBuffer().getBytes());
        published.computeIfAbsent(chamber, k -> new ArrayList<>()).add(event.contextId());
      }
      if (round < malformed.size()) {
        jetStream.publish("dc.tool001.1.completed", malformed.get(round).getBytes(StandardCharsets.UTF_8));
        malformedSent++;
      }
    }
    int expectedVerdicts = chambers.size() * EVENTS_PER_CHAMBER;

    await("all verdicts stored").atMost(seconds(60))
        .until(() -> streamCount(Subjects.VERDICT_STREAM) >= expectedVerdicts);
    int expectedDeadLetters = malformedSent;
    await("all dead letters stored").atMost(seconds(30))
        .until(() -> streamCount(Subjects.DEAD_LETTER_STREAM) >= expectedDeadLetters);

    List<JsonObject> verdicts = read(Subjects.VERDICT_STREAM, Subjects.VERDICT_ALL, expectedVerdicts).stream()
        .map(m -> new JsonObject(new String(m.getData(), StandardCharsets.UTF_8))).toList();
    assertEquals(expectedVerdicts, streamCount(Subjects.VERDICT_STREAM), "no verdict stored twice");
    Map<String, Integer> perContext = new HashMap<>();
    Map<ChamberKey, List<String>> processedOrder = new LinkedHashMap<>();
    AssignmentSnapshot assignment = currentAssignment();
    for (JsonObject verdict : verdicts) {
      ChamberKey chamber = new ChamberKey(verdict.getString("toolId"), verdict.getString("chamberId"));
      perContext.merge(verdict.getString("contextId"), 1, Integer::sum);
      processedOrder.computeIfAbsent(chamber, k -> new ArrayList<>()).add(verdict.getString("contextId"));
      assertEquals(assignment.ownerOf(chamber), verdict.getString("defender"), "processed by the owner of " + chamber);
    }
    published.values().forEach(ids -> ids.forEach(id -> assertEquals(1, perContext.get(id), "verdicts for " + id)));
    assertEquals(published, new TreeMap<>(processedOrder), "per-chamber order");

    List<Message> deadLetters = read(Subjects.DEAD_LETTER_STREAM, Subjects.DEAD_LETTER_ALL, expectedDeadLetters);
    assertEquals(expectedDeadLetters, deadLetters.size());
    for (Message deadLetter : deadLetters) {
      assertTrue(deadLetter.getSubject().startsWith("dc.dlq."), deadLetter.getSubject());
      assertNotNull(deadLetter.getHeaders().getFirst(Subjects.HEADER_DLQ_REASON));
      assertEquals("dc.tool001.1.completed", deadLetter.getHeaders().getFirst(Subjects.HEADER_DLQ_SUBJECT));
    }
    assertEquals(List.of("dc.dlq.malformed-json", "dc.dlq.invalid-field", "dc.dlq.subject-mismatch", "dc.dlq.invalid-field"),
        deadLetters.stream().map(Message::getSubject).toList());

    JsonObject stats = api("/api/stats");
    assertEquals(expectedVerdicts, stats.getLong("processed"));
    assertEquals(expectedDeadLetters, stats.getLong("deadLettered"));
    assertTrue(stats.getLong("retried") > 0, "discovered chambers were retried until registered");
    JsonObject cluster = api("/api/cluster");
    assertEquals(CATALOG_CHAMBERS + DISCOVERED_CHAMBERS, cluster.getInteger("chambers"));
    String metrics = http("/metrics");
    assertTrue(metrics.contains("chamberlain_verdict_latency_seconds_bucket"), "latency histogram exported");
    assertTrue(metrics.contains("chamberlain_sla_breaches_total"));
    assertEquals("UP", api("/health").getString("status"));
  }

  private long streamCount(String stream) throws Exception {
    return client.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
  }

  private List<Message> read(String stream, String subject, int expected) throws Exception {
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

  private AssignmentSnapshot currentAssignment() throws Exception {
    return AssignmentSnapshot.fromJson(gateway.node().vertx().eventBus()
        .<JsonObject>request(Addresses.ASSIGNMENT_CURRENT, new JsonObject())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body());
  }

  private JsonObject api(String path) throws Exception {
    return new JsonObject(http(path));
  }

  private String http(String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
