package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Bad input that used to hold an ingestion slot forever, interleaved with good events of the same
 * and other chambers on a whole Chamberlain (real nats-server, clustered gateway and worker): an
 * event whose subject has an 'ø' in the tool id, one whose 100 KB contextId (with an 'ø') is quoted
 * in its refusal and cut with '…' — both made the dead-letter publish throw on a non-ASCII header
 * value, so they were redelivered every ack wait forever — and an 800 KB event, which was processed
 * as if it were normal. Each must be dead-lettered once with headers that read back, terminated
 * (nothing left to redeliver), counted by reason, and the good events still judged, in order.
 *
 * <p>The gateway's {@code ingest.maxEventBytes} is 256 KiB here (the default is 64 KiB), so the 100 KB
 * event reaches the id check whose reason broke the header, and the 800 KB one is still too large.
 */
class BadInputIT {

  private static final int MAX_EVENT_BYTES = 256 * 1024;
  private static final int ROUNDS = 6;
  private static final String OSLASH_SUBJECT = "dc.tøol001.1.completed";
  private static final String HUGE_ID = "ø" + "x".repeat(100 * 1024);

  @Test
  void eachBadEventIsDeadLetteredOnceCountedAndAckedWhileTheGoodOnesGoOnInOrder() throws Exception {
    StringBuilder catalog = new StringBuilder("chambers:\n");
    List<ChamberKey> chambers = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      catalog.append(String.format("  - { tool: tool%03d, chamber: \"1\", svidCount: 50, hz: 2, contextSeconds: 100 }%n", i));
      chambers.add(new ChamberKey(String.format("tool%03d", i), "1"));
    }
    try (InJvmCluster cluster = new InJvmCluster(catalog.toString(), 1, MAX_EVENT_BYTES)) {
      await("every chamber owned").atMost(seconds(60)).ignoreExceptions().until(() -> {
        AssignmentSnapshot assignment = cluster.currentAssignment();
        return chambers.stream().allMatch(chamber -> assignment.ownerOf(chamber) != null);
      });
      JetStream jetStream = cluster.client.jetStream();
      Map<ChamberKey, List<String>> published = new TreeMap<>();
      for (int round = 0; round < ROUNDS; round++) {
        for (ChamberKey chamber : chambers) {
          CompletionEvent event = new CompletionEvent(chamber, "ctx-" + chamber.toolId() + "-" + round,
              System.currentTimeMillis(), null);
          jetStream.publish(Subjects.completed(chamber), NatsHeaders.msgId(event.contextId()),
              CompletionCodec.toJson(event).toBuffer().getBytes());
          published.computeIfAbsent(chamber, k -> new ArrayList<>()).add(event.contextId());
        }
        switch (round) {
          case 1 -> jetStream.publish(OSLASH_SUBJECT, event("tøol001", "ctx-oslash", null));
          case 2 -> jetStream.publish("dc.tool001.1.completed", event("tool001", HUGE_ID, null));
          case 3 -> jetStream.publish("dc.tool002.1.completed", event("tool002", "ctx-huge", "x".repeat(800 * 1024)));
          default -> { }
        }
      }
      int expectedVerdicts = chambers.size() * ROUNDS;

      await("every good event judged").atMost(seconds(60))
          .until(() -> cluster.streamCount(Subjects.VERDICT_STREAM) >= expectedVerdicts);
      await("every bad event dead-lettered").atMost(seconds(30))
          .until(() -> cluster.streamCount(Subjects.DEAD_LETTER_STREAM) >= 3);

      Map<ChamberKey, List<String>> judged = new LinkedHashMap<>();
      for (Message verdict : cluster.read(Subjects.VERDICT_STREAM, Subjects.VERDICT_ALL, expectedVerdicts)) {
        JsonObject body = new JsonObject(new String(verdict.getData(), StandardCharsets.UTF_8));
        judged.computeIfAbsent(new ChamberKey(body.getString("toolId"), body.getString("chamberId")), k -> new ArrayList<>())
            .add(body.getString("contextId"));
      }
      assertEquals(published, new TreeMap<>(judged), "every good event judged once, in order per chamber");
      assertEquals(expectedVerdicts, cluster.streamCount(Subjects.VERDICT_STREAM), "no bad event judged");

      List<Message> deadLetters = cluster.read(Subjects.DEAD_LETTER_STREAM, Subjects.DEAD_LETTER_ALL, 3);
      assertEquals(3, cluster.streamCount(Subjects.DEAD_LETTER_STREAM), "no event dead-lettered twice");
      assertEquals(List.of("dc.dlq.invalid-field", "dc.dlq.invalid-field", "dc.dlq.too-large"),
          deadLetters.stream().map(Message::getSubject).toList(), "each dead-lettered once, in the order they came");
      for (Message deadLetter : deadLetters) {
        deadLetter.getHeaders().forEach((name, values) -> values.forEach(value -> assertTrue(
            value.length() <= NatsHeaders.MAX_VALUE_LENGTH && value.chars().allMatch(c -> c >= 0x20 && c < 0x7F),
            name + ": " + value)));
        assertEquals("1", NatsHeaders.read(deadLetter.getHeaders(), NatsHeaders.DLQ_DELIVERIES), "at its first delivery");
      }

      Message oslash = deadLetters.get(0);
      assertEquals(OSLASH_SUBJECT, NatsHeaders.read(oslash.getHeaders(), NatsHeaders.DLQ_SUBJECT));
      assertTrue(NatsHeaders.read(oslash.getHeaders(), NatsHeaders.DLQ_REASON).startsWith("toolId 'tøol001' contains"),
          NatsHeaders.read(oslash.getHeaders(), NatsHeaders.DLQ_REASON));
      assertEquals(new String(event("tøol001", "ctx-oslash", null), StandardCharsets.UTF_8),
          new String(oslash.getData(), StandardCharsets.UTF_8), "the original bytes kept");

      Message hugeId = deadLetters.get(1);
      assertEquals("dc.tool001.1.completed", NatsHeaders.read(hugeId.getHeaders(), NatsHeaders.DLQ_SUBJECT));
      String reason = NatsHeaders.read(hugeId.getHeaders(), NatsHeaders.DLQ_REASON);
      assertTrue(reason.startsWith("contextId '" + HUGE_ID.substring(0, 80) + "…' is " + HUGE_ID.length()
          + " characters long"), reason);
      assertEquals(event("tool001", HUGE_ID, null).length, hugeId.getData().length);

      Message tooLarge = deadLetters.get(2);
      byte[] large = event("tool002", "ctx-huge", "x".repeat(800 * 1024));
      assertEquals("dc.tool002.1.completed", NatsHeaders.read(tooLarge.getHeaders(), NatsHeaders.DLQ_SUBJECT));
      assertEquals("payload on dc.tool002.1.completed is " + large.length + " bytes, more than the limit of "
          + MAX_EVENT_BYTES + " bytes (ingest.maxEventBytes)", NatsHeaders.read(tooLarge.getHeaders(), NatsHeaders.DLQ_REASON));
      assertEquals(large.length, tooLarge.getData().length, "kept whole: it fits the server's max_payload");
      assertFalse(tooLarge.getHeaders().containsKey(NatsHeaders.DLQ_ORIGINAL_BYTES));

      // Terminated: nothing of the lane is pending or waits for an ack, so nothing comes back.
      long lastSequence = cluster.client.jetStreamManagement().getStreamInfo(Subjects.COMPLETIONS_STREAM)
          .getStreamState().getLastSequence();
      await("every event of the lane acknowledged").atMost(seconds(30)).until(() -> {
        ConsumerInfo lane = cluster.client.jetStreamManagement()
            .getConsumerInfo(Subjects.COMPLETIONS_STREAM, Subjects.INGEST_CONSUMER);
        return lane.getNumAckPending() == 0 && lane.getNumPending() == 0
            && lane.getAckFloor().getStreamSequence() == lastSequence;
      });
      assertEquals(expectedVerdicts + 3, lastSequence, "the good and the bad events, each stored once");

      JsonObject stats = cluster.api("/api/stats");
      assertEquals(3, stats.getLong("deadLettered"));
      assertEquals(expectedVerdicts, stats.getLong("processed"));
      String metrics = cluster.http("/metrics");
      assertEquals(2.0, deadLettered(metrics, "invalid-field"), 1e-9);
      assertEquals(1.0, deadLettered(metrics, "too-large"), 1e-9);
    }
  }

  /** A completion event's JSON, with an extra field of padding when {@code padding} is not null. */
  private static byte[] event(String toolId, String contextId, String padding) {
    JsonObject body = new JsonObject().put("toolId", toolId).put("chamberId", "1").put("contextId", contextId)
        .put("completedAt", 1_700_000_000_000L);
    if (padding != null) {
      body.put("padding", padding);
    }
    return body.encode().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code chamberlain_events_dead_lettered_total} of {@code reason} in a Prometheus exposition (0 if absent). */
  private static double deadLettered(String exposition, String reason) {
    return exposition.lines()
        .filter(line -> line.startsWith("chamberlain_events_dead_lettered_total{") && line.contains("reason=\"" + reason + "\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }
}
