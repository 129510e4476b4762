package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.CompletionCodec;
import io.chamberlain.wire.NatsHeaders;
import io.chamberlain.wire.Subjects;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.api.ConsumerInfo;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defense processes that are slow or stuck, on a whole Chamberlain (real nats-server, clustered
 * gateway and worker, real external programs). The gateway here waits 5 s for a defender's answer
 * ({@code ingest.requestTimeoutMillis}), JetStream redelivers after 10 s ({@code ingest.ackWaitSeconds})
 * and an event is dead-lettered after 3 failed attempts.
 * <ul>
 *   <li>A program that takes 14 s for one event — past the request timeout twice and past the ack
 *       wait: the held event is kept alive with in-progress acks, the gateway's re-sends wait behind
 *       the event in flight on the defender, so the event is judged once, and its chamber's next
 *       events after it, in order; the re-sends are bounded (no redelivery storm).
 *   <li>A program that never answers one event: each attempt is cut off at its own timeout (1.5 s)
 *       and the program restarted; after the third the event is dead-lettered
 *       ({@code processing-failed}), and the chamber's next event is judged.
 *   <li>A third chamber on the built-in process keeps being judged throughout, each event once, in order.
 * </ul>
 */
class SlowDefenseIT {

  private static final long SLOW_MILLIS = 14_000;
  private static final int HANGS = 3; // = the cluster's ingest.maxProcessingAttempts
  private static final int STEADY_EVENTS = 20;
  private static final Duration STEADY_PACE = Duration.ofMillis(500);
  /** Answers each request line; "slow": the first request (of all runs) takes N s; "hang": the first N never answered. */
  private static final String PROGRAM = """
      import json, sys, time
      counter, mode, n = sys.argv[1], sys.argv[2], float(sys.argv[3])
      for line in sys.stdin:
          request = json.loads(line)
          with open(counter, 'a') as f:
              f.write(request['contextId'] + '\\n')
          with open(counter) as f:
              count = sum(1 for _ in f)
          if mode == 'slow' and count == 1:
              time.sleep(n)
          if mode == 'hang' and count <= n:
              time.sleep(3600)
          print(json.dumps({'contextId': request['contextId'], 'status': 'OK', 'violations': [],
                            'state': request.get('state')}), flush=True)
      """;

  @TempDir
  Path dir;

  @Test
  void aSlowEventIsJudgedOnceWithoutARedeliveryStormAndAStuckOneIsDeadLettered() throws Exception {
    Path program = Files.writeString(dir.resolve("program.py"), PROGRAM);
    Path rules = Files.writeString(dir.resolve("processes.yaml"), """
        processes:
          - match: "slow*:*"
            process: external
            options: { command: ["python3", "%1$s", "%2$s", "slow", "%3$d"], timeoutMs: 30000 }
          - match: "hang*:*"
            process: external
            options: { command: ["python3", "%1$s", "%4$s", "hang", "%5$d"], timeoutMs: 1500, initialBackoffMs: 50 }
        """.formatted(program, dir.resolve("slow.requests"), SLOW_MILLIS / 1000, dir.resolve("hang.requests"), HANGS));
    ChamberKey slow = new ChamberKey("slow001", "1");
    ChamberKey hang = new ChamberKey("hang001", "1");
    ChamberKey steady = new ChamberKey("tool001", "1");
    List<ChamberKey> chambers = List.of(slow, hang, steady);
    StringBuilder catalog = new StringBuilder("chambers:\n");
    chambers.forEach(chamber -> catalog.append(String.format(
        "  - { tool: %s, chamber: \"1\", svidCount: 10, hz: 1, contextSeconds: 10 }%n", chamber.toolId())));

    try (InJvmCluster cluster = new InJvmCluster(catalog.toString(), 1,
        io.chamberlain.config.GatewayConfig.IngestSettings.DEFAULT_MAX_EVENT_BYTES, rules.toString())) {
      await("every chamber owned").atMost(seconds(60)).ignoreExceptions().until(() -> {
        AssignmentSnapshot assignment = cluster.currentAssignment();
        return chambers.stream().allMatch(chamber -> assignment.ownerOf(chamber) != null);
      });
      JetStream jetStream = cluster.client.jetStream();
      Map<ChamberKey, List<String>> published = new TreeMap<>();
      for (int i = 0; i < 3; i++) {
        publish(jetStream, slow, "slow-" + i, published);
      }
      publish(jetStream, hang, "stuck", published);
      publish(jetStream, hang, "after-stuck", published);
      publishPaced(jetStream, steady, published); // while the slow event is judged
      published.get(hang).remove("stuck"); // dead-lettered, never judged

      int expectedVerdicts = published.values().stream().mapToInt(List::size).sum();
      await("every event judged or dead-lettered").atMost(seconds(90)).until(() ->
          cluster.streamCount(Subjects.VERDICT_STREAM) >= expectedVerdicts
              && cluster.streamCount(Subjects.DEAD_LETTER_STREAM) >= 1);

      Map<ChamberKey, List<String>> judged = new LinkedHashMap<>();
      long slowLatency = -1;
      for (Message message : cluster.read(Subjects.VERDICT_STREAM, Subjects.VERDICT_ALL, expectedVerdicts)) {
        JsonObject verdict = new JsonObject(new String(message.getData(), StandardCharsets.UTF_8));
        judged.computeIfAbsent(new ChamberKey(verdict.getString("toolId"), verdict.getString("chamberId")),
            k -> new ArrayList<>()).add(verdict.getString("contextId"));
        if (verdict.getString("contextId").equals("slow-0")) {
          slowLatency = verdict.getLong("publishedAt") - verdict.getLong("completedAt");
        }
      }
      assertEquals(published, new TreeMap<>(judged), "every event judged once, in order per chamber");
      assertTrue(slowLatency >= SLOW_MILLIS, "the slow event really outlasted the ack wait: " + slowLatency + " ms");

      List<Message> deadLetters = cluster.read(Subjects.DEAD_LETTER_STREAM, Subjects.DEAD_LETTER_ALL, 1);
      assertEquals(1, cluster.streamCount(Subjects.DEAD_LETTER_STREAM), "only the stuck event dead-lettered");
      Message stuck = deadLetters.get(0);
      assertEquals(Subjects.deadLetter("processing-failed"), stuck.getSubject());
      assertEquals("dc.hang001.1.completed", NatsHeaders.read(stuck.getHeaders(), NatsHeaders.DLQ_SUBJECT));
      String reason = NatsHeaders.read(stuck.getHeaders(), NatsHeaders.DLQ_REASON);
      assertTrue(reason.startsWith("defense process failed " + HANGS + " times") && reason.contains("no answer within 1500 ms"),
          reason);

      await("every event of the lane acknowledged").atMost(seconds(30)).until(() -> {
        ConsumerInfo lane = cluster.client.jetStreamManagement()
            .getConsumerInfo(Subjects.COMPLETIONS_STREAM, Subjects.INGEST_CONSUMER);
        return lane.getNumAckPending() == 0 && lane.getNumPending() == 0;
      });
      String metrics = cluster.http("/metrics");
      double timeouts = counter(metrics, "chamberlain_events_retried_total", "timeout");
      assertTrue(timeouts <= Math.ceil(SLOW_MILLIS / 5_000.0),
          "the slow event re-sent once per request timeout at most, not stormed: " + timeouts + " timeouts");
      assertEquals(1.0, counter(metrics, "chamberlain_events_dead_lettered_total", "processing-failed"), 1e-9);
      List<String> slowRequests = Files.readAllLines(dir.resolve("slow.requests"));
      assertEquals(1, slowRequests.stream().filter("slow-0"::equals).count(),
          "the program judged the slow event once: the re-sends waited behind it, " + slowRequests);
    }
  }

  /**
   * {@link #STEADY_EVENTS} events of {@code chamber}, one every {@link #STEADY_PACE} — a collector's pace,
   * so they overlap the slow event — from a scheduler; returns once all are published.
   */
  private static void publishPaced(JetStream jetStream, ChamberKey chamber, Map<ChamberKey, List<String>> published)
      throws Exception {
    ScheduledExecutorService collector = Executors.newSingleThreadScheduledExecutor();
    try {
      AtomicInteger next = new AtomicInteger();
      CompletableFuture<Void> done = new CompletableFuture<>();
      collector.scheduleAtFixedRate(() -> {
        try {
          int i = next.getAndIncrement();
          if (i < STEADY_EVENTS) {
            publish(jetStream, chamber, "steady-" + i, published);
          } else {
            done.complete(null);
          }
        } catch (Exception e) {
          done.completeExceptionally(e);
        }
      }, 0, STEADY_PACE.toMillis(), TimeUnit.MILLISECONDS);
      done.get(seconds(STEADY_EVENTS * STEADY_PACE.toSeconds() + 30).toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      collector.shutdownNow();
    }
  }

  private static void publish(JetStream jetStream, ChamberKey chamber, String contextId,
      Map<ChamberKey, List<String>> published) throws Exception {
    CompletionEvent event = new CompletionEvent(chamber, contextId, System.currentTimeMillis(), null);
    jetStream.publish(Subjects.completed(chamber), NatsHeaders.msgId(contextId),
        CompletionCodec.toJson(event).toBuffer().getBytes());
    published.computeIfAbsent(chamber, k -> new ArrayList<>()).add(contextId);
  }

  /** A counter of {@code reason} in a Prometheus exposition (0 if absent). */
  private static double counter(String exposition, String name, String reason) {
    return exposition.lines()
        .filter(line -> line.startsWith(name + "{") && line.contains("reason=\"" + reason + "\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }
}
