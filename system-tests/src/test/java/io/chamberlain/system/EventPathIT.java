package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.VerdictTap;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.CompletionCodec;
import io.chamberlain.wire.NatsHeaders;
import io.chamberlain.wire.Subjects;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.chamberlain.worker.WorkerNode;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The walking skeleton end to end, on real parts: a real {@code nats-server -js}, a clustered
 * gateway and two clustered workers (three Hazelcast members on 127.0.0.1, unique cluster name),
 * events published by a plain NATS client. Checks every guarantee of the event path: one verdict
 * per event (in the stream and as published), per-chamber order, processed by the chamber's owner, malformed events dead-lettered
 * with a reason without stopping the rest, unknown chambers registered on first sight.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventPathIT {

  private static final int CATALOG_CHAMBERS = 10;
  private static final int DISCOVERED_CHAMBERS = 15;
  private static final int EVENTS_PER_CHAMBER = 6;

  private InJvmCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    StringBuilder catalog = new StringBuilder("chambers:\n");
    for (int i = 1; i <= CATALOG_CHAMBERS; i++) {
      catalog.append(String.format("  - { tool: tool%03d, chamber: \"1\", svidCount: 50, hz: 2, contextSeconds: %d }%n", i, 100 * i));
    }
    cluster = new InJvmCluster(catalog.toString(), 2);
    await("both defenders own catalog chambers").atMost(seconds(30)).until(() -> {
      JsonObject status = cluster.api("/api/cluster");
      return status.getJsonArray("defenders").size() == 2 && status.getLong("unownedChambers") == 0
          && status.getJsonArray("defenders").stream().allMatch(d -> ((JsonObject) d).getInteger("chambers") > 0);
    });
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyEventGetsOneVerdictFromItsOwnerInOrderAndMalformedOnesAreDeadLettered() throws Exception {
    List<ChamberKey> chambers = new ArrayList<>();
    for (int i = 1; i <= CATALOG_CHAMBERS + DISCOVERED_CHAMBERS; i++) {
      chambers.add(new ChamberKey(String.format("tool%03d", i), "1"));
    }
    VerdictTap tap = VerdictTap.start(cluster.natsServer.url());
    JetStream jetStream = cluster.client.jetStream();
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
        .until(() -> cluster.streamCount(Subjects.VERDICT_STREAM) >= expectedVerdicts);
    int expectedDeadLetters = malformedSent;
    await("all dead letters stored").atMost(seconds(30))
        .until(() -> cluster.streamCount(Subjects.DEAD_LETTER_STREAM) >= expectedDeadLetters);

    List<JsonObject> verdicts = cluster.read(Subjects.VERDICT_STREAM, Subjects.VERDICT_ALL, expectedVerdicts).stream()
        .map(m -> new JsonObject(new String(m.getData(), StandardCharsets.UTF_8))).toList();
    assertEquals(expectedVerdicts, cluster.streamCount(Subjects.VERDICT_STREAM), "no verdict stored twice");
    Map<String, Integer> perContext = new HashMap<>();
    Map<ChamberKey, List<String>> processedOrder = new LinkedHashMap<>();
    AssignmentSnapshot assignment = cluster.currentAssignment();
    for (JsonObject verdict : verdicts) {
      ChamberKey chamber = new ChamberKey(verdict.getString("toolId"), verdict.getString("chamberId"));
      perContext.merge(verdict.getString("contextId"), 1, Integer::sum);
      processedOrder.computeIfAbsent(chamber, k -> new ArrayList<>()).add(verdict.getString("contextId"));
      assertEquals(assignment.ownerOf(chamber), verdict.getString("defender"), "processed by the owner of " + chamber);
    }
    published.values().forEach(ids -> ids.forEach(id -> assertEquals(1, perContext.get(id), "verdicts for " + id)));
    // The stream deduplicates by context id; the tap sees every publish, so a context judged twice shows here.
    await("the tap saw every verdict").atMost(seconds(10)).until(() -> tap.publishes() >= expectedVerdicts);
    assertEquals(0, tap.republished(), "no context was judged and published twice");
    tap.close();
    assertEquals(published, new TreeMap<>(processedOrder), "per-chamber order");

    List<Message> deadLetters = cluster.read(Subjects.DEAD_LETTER_STREAM, Subjects.DEAD_LETTER_ALL, expectedDeadLetters);
    assertEquals(expectedDeadLetters, deadLetters.size());
    for (Message deadLetter : deadLetters) {
      assertTrue(deadLetter.getSubject().startsWith("dc.dlq."), deadLetter.getSubject());
      assertNotNull(NatsHeaders.read(deadLetter.getHeaders(), NatsHeaders.DLQ_REASON));
      assertEquals("dc.tool001.1.completed", NatsHeaders.read(deadLetter.getHeaders(), NatsHeaders.DLQ_SUBJECT));
    }
    assertEquals(List.of("dc.dlq.malformed-json", "dc.dlq.invalid-field", "dc.dlq.subject-mismatch", "dc.dlq.invalid-field"),
        deadLetters.stream().map(Message::getSubject).toList());

    JsonObject stats = cluster.api("/api/stats");
    assertEquals(expectedVerdicts, stats.getLong("processed"));
    assertEquals(expectedDeadLetters, stats.getLong("deadLettered"));
    assertTrue(stats.getLong("retried") > 0, "discovered chambers were retried until registered");
    JsonObject view = cluster.api("/api/cluster");
    assertEquals(CATALOG_CHAMBERS + DISCOVERED_CHAMBERS, view.getInteger("chambers"));
    String metrics = cluster.http("/metrics");
    assertTrue(metrics.contains("chamberlain_verdict_latency_seconds_bucket"), "latency histogram exported");
    assertTrue(metrics.contains("chamberlain_sla_breaches_total"));
    assertEquals("UP", cluster.api("/health").getString("status"));
    assertEquals("READY", cluster.api("/ready").getString("status"), cluster.http("/ready"));
    double verdictsCounted = 0;
    java.util.Set<String> exported = metricNames(metrics);
    for (WorkerNode worker : cluster.workers) {
      JsonObject ready = new JsonObject(InJvmCluster.get(worker.httpPort(), "/ready").body());
      assertEquals("READY", ready.getString("status"), worker.defenderId() + ": " + ready);
      assertEquals(worker.defenderId(), new JsonObject(InJvmCluster.get(worker.httpPort(), "/health").body())
          .getString("defenderId"));
      String workerMetrics = InJvmCluster.get(worker.httpPort(), "/metrics").body();
      assertTrue(workerMetrics.contains("vertx_") && workerMetrics.contains("chamberlain_chambers_served{defender=\""
          + worker.defenderId() + "\"}"), "every worker exports its own metrics");
      exported.addAll(metricNames(workerMetrics));
      verdictsCounted += workerMetrics.lines().filter(line -> line.startsWith("chamberlain_verdicts_published_total{"))
          .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
    assertEquals(expectedVerdicts, (long) verdictsCounted, "the workers' verdict counters add up to the verdicts");
    assertEveryDashboardQueryNamesAnExportedMetric(exported);

    // The defenders report what each chamber costs and how often it comes; the leader turns that into
    // the number of defenders the work needs, for an autoscaler.
    await("the leader's capacity plan").atMost(seconds(30)).until(() -> gauge(cluster.http("/metrics"),
        "chamberlain_work_millis_per_second") > 0);
    double needed = gauge(cluster.http("/metrics"), "chamberlain_defenders_needed");
    assertTrue(needed >= 1, "there is work, so at least one defender is needed: " + needed);
    assertEquals(cluster.workers.size() - Math.max(needed, io.chamberlain.config.LeaderSettings.DEFAULT_MIN_DEFENDERS),
        gauge(cluster.http("/metrics"), "chamberlain_defenders_surplus"), 1e-9, "surplus over the need, at least the minimum");
  }

  /** The value of an untagged gauge in a Prometheus exposition, NaN if it is not there. */
  private static double gauge(String exposition, String name) {
    return exposition.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(Double.NaN);
  }

  /** The metric names of a Prometheus text exposition ({@code name{labels} value} lines). */
  private static java.util.Set<String> metricNames(String exposition) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
        .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
    return names;
  }

  /** The Grafana dashboard docker-compose provisions must chart what the nodes really export. */
  private static void assertEveryDashboardQueryNamesAnExportedMetric(java.util.Set<String> exported) throws Exception {
    JsonObject dashboard = new JsonObject(java.nio.file.Files.readString(
        java.nio.file.Path.of("..", "config", "grafana", "dashboards", "chamberlain.json")));
    java.util.regex.Pattern metric = java.util.regex.Pattern.compile("\\b((?:chamberlain|jvm|vertx)_[a-z0-9_]+)");
    int queries = 0;
    for (Object panel : dashboard.getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets")) {
        String expr = ((JsonObject) target).getString("expr");
        java.util.regex.Matcher names = metric.matcher(expr);
        boolean any = false;
        while (names.find()) {
          any = true;
          assertTrue(exported.contains(names.group(1)), "panel '" + ((JsonObject) panel).getString("title")
              + "' queries " + names.group(1) + ", which no node exports");
        }
        assertTrue(any, "query names no Chamberlain, JVM or Vert.x metric: " + expr);
        queries++;
      }
    }
    assertTrue(queries >= 10, "the dashboard has its queries: " + queries);
  }
}
