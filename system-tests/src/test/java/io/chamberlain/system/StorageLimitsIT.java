package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.ingest.CompletionsRoom;
import io.chamberlain.nats.StorageLimitException;
import io.chamberlain.system.live.PublishedEvent;
import io.chamberlain.system.live.SteadyPublisher;
import io.chamberlain.wire.CompletionCodec;
import io.chamberlain.wire.NatsHeaders;
import io.chamberlain.wire.Subjects;
import io.chamberlain.worker.runtime.WorkerMetrics;
import io.micrometer.core.instrument.Counter;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamState;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The verdicts stream at its storage limit (its size capped at what it holds, discard-new: every
 * further verdict is refused, as on a full disk): events keep coming, the defender's refused
 * publishes are counted by store and reason, nothing is judged as done, nothing is dead-lettered
 * (a full store is not the event's fault, so it never uses up the event's attempts). Then the limit
 * is raised, as an operator frees space: every event gets exactly one verdict, in order per chamber.
 * Likewise a dead letter the full dead-letter stream refuses: counted by the gateway, the event kept,
 * dead-lettered once space returns. And the completions stream itself at its size limit: judged events
 * are removed to make room, un-judged ones never; when they fill it, the publisher is refused.
 */
class StorageLimitsIT {

  private static final int CHAMBERS = 3;
  private static final int EVENTS_PER_CHAMBER = 4;
  /** The completions stream's size limit in {@link #aFullCompletionsStreamLosesNoUnjudgedEvent}: a few hundred events. */
  private static final long COMPLETIONS_MAX_BYTES = 64 * 1024;
  private static final int ROOM_CHAMBERS = 6;

  @Test
  void aFullVerdictStreamHoldsEventsCountsRefusalsAndLosesNothingOnceSpaceReturns() throws Exception {
    StringBuilder catalog = new StringBuilder("chambers:\n");
    List<ChamberKey> chambers = new ArrayList<>();
    for (int i = 1; i <= CHAMBERS; i++) {
      catalog.append(String.format("  - { tool: tool%03d, chamber: \"1\", svidCount: 10, hz: 1, contextSeconds: 60 }%n", i));
      chambers.add(new ChamberKey(String.format("tool%03d", i), "1"));
    }
    try (InJvmCluster cluster = new InJvmCluster(catalog.toString(), 1)) {
      await("the defender owns every chamber").atMost(seconds(30)).until(() -> {
        JsonObject status = cluster.api("/api/cluster");
        return status.getJsonArray("defenders").size() == 1 && status.getLong("unownedChambers") == 0
            && status.getInteger("chambers") == CHAMBERS;
      });
      // One verdict per chamber first, so the stream exists with something in it.
      Map<ChamberKey, List<String>> published = new TreeMap<>();
      publishRound(cluster, chambers, "warm", published);
      await("the first verdicts").atMost(seconds(30)).until(() -> cluster.streamCount(Subjects.VERDICT_STREAM) == CHAMBERS);

      JetStreamManagement jsm = cluster.client.jetStreamManagement();
      StreamConfiguration open = jsm.getStreamInfo(Subjects.VERDICT_STREAM).getConfiguration();
      long held = jsm.getStreamInfo(Subjects.VERDICT_STREAM).getStreamState().getByteCount();
      jsm.updateStream(StreamConfiguration.builder(open).maxBytes(held).discardPolicy(DiscardPolicy.New).build());

      for (int round = 0; round < EVENTS_PER_CHAMBER; round++) {
        publishRound(cluster, chambers, "full-" + round, published);
      }
      await("refused verdict publishes counted").atMost(seconds(30)).until(() -> refused(cluster) >= 2);
      assertEquals(CHAMBERS, cluster.streamCount(Subjects.VERDICT_STREAM), "nothing stored while full");
      JsonObject whileFull = cluster.api("/api/stats");
      assertEquals(CHAMBERS, whileFull.getLong("processed"), "no event judged as done while its verdict was refused");
      assertEquals(0, whileFull.getLong("deadLettered"), "a full store dead-letters nothing");

      jsm.updateStream(open); // space returns: the limit as the gateway set it
      int expected = CHAMBERS * (1 + EVENTS_PER_CHAMBER);
      await("every event judged once space returned").atMost(seconds(60))
          .until(() -> cluster.streamCount(Subjects.VERDICT_STREAM) >= expected);

      Map<ChamberKey, List<String>> judged = judgedPerChamber(cluster, expected);
      assertEquals(expected, cluster.streamCount(Subjects.VERDICT_STREAM), "no verdict twice");
      assertEquals(published, judged, "every event judged, once, in order per chamber");
      JsonObject after = cluster.api("/api/stats");
      assertEquals(expected, after.getLong("processed"));
      assertEquals(0, after.getLong("deadLettered"), "nothing dead-lettered");
    }
  }

  @Test
  void aFullDeadLetterStreamKeepsTheMalformedEventUntilSpaceReturns() throws Exception {
    try (InJvmCluster cluster = new InJvmCluster("chambers:\n  - { tool: tool001, chamber: \"1\", svidCount: 10, hz: 1, contextSeconds: 60 }\n", 1)) {
      JetStreamManagement jsm = cluster.client.jetStreamManagement();
      StreamConfiguration open = jsm.getStreamInfo(Subjects.DEAD_LETTER_STREAM).getConfiguration();
      jsm.updateStream(StreamConfiguration.builder(open).maxBytes(1).discardPolicy(DiscardPolicy.New).build());

      cluster.client.jetStream().publish("dc.tool001.1.completed", "not json".getBytes(StandardCharsets.UTF_8));
      await("the refused dead letter counted").atMost(seconds(30)).until(() -> gatewayRefused(cluster) >= 1);
      assertEquals(0, cluster.streamCount(Subjects.DEAD_LETTER_STREAM));
      assertEquals(0, cluster.api("/api/stats").getLong("deadLettered"), "not counted as dead-lettered while refused");

      jsm.updateStream(open);
      await("dead-lettered once space returned").atMost(seconds(30))
          .until(() -> cluster.streamCount(Subjects.DEAD_LETTER_STREAM) == 1);
      await("counted as dead-lettered").atMost(seconds(10)).until(() -> cluster.api("/api/stats").getLong("deadLettered") == 1);
    }
  }

  /**
   * The completions stream at its size limit ({@value #COMPLETIONS_MAX_BYTES} bytes). (a) The defender
   * judges: twice the stream's size is published and nothing is refused — judged events are removed
   * to make room. (b) No defender: the un-judged backlog grows until the gateway closes the stream and
   * the publisher is refused ({@code stream-max-messages}); the judged events before the backlog are
   * removed, none of it, also while the keeper goes on running. (c) A defender again: every accepted
   * event is judged exactly once, in order per chamber, room is made, the stream opens, publishing works.
   */
  @Test
  void aFullCompletionsStreamLosesNoUnjudgedEvent() throws Exception {
    StringBuilder catalog = new StringBuilder("chambers:\n");
    List<ChamberKey> chambers = new ArrayList<>();
    for (int i = 1; i <= ROOM_CHAMBERS; i++) {
      catalog.append(String.format("  - { tool: tool%03d, chamber: \"1\", svidCount: 10, hz: 1, contextSeconds: 60 }%n", i));
      chambers.add(new ChamberKey(String.format("tool%03d", i), "1"));
    }
    try (InJvmCluster cluster = InJvmCluster.withCompletionsMaxBytes(catalog.toString(), 1, COMPLETIONS_MAX_BYTES)) {
      await("the defender owns every chamber").atMost(seconds(30)).until(() -> {
        JsonObject status = cluster.api("/api/cluster");
        return status.getJsonArray("defenders").size() == 1 && status.getLong("unownedChambers") == 0
            && status.getInteger("chambers") == ROOM_CHAMBERS;
      });
      Map<ChamberKey, List<String>> accepted = new TreeMap<>();
      publishRound(cluster, chambers, "warm", accepted);
      StreamState warm = completions(cluster);
      int capacity = (int) (COMPLETIONS_MAX_BYTES / (warm.getByteCount() / warm.getMsgCount()));

      // (a) Judged as they come: a fifth of the stream per second (the keeper looks twice a second).
      try (SteadyPublisher publisher = SteadyPublisher.start(cluster.natsServer.url(), chambers, capacity / 5.0)) {
        await("twice the stream's size published").atMost(seconds(60)).until(() -> publisher.count() >= 2 * capacity);
        publisher.stop();
        assertEquals(0, publisher.failures(), "no publish refused while the defender judges");
        for (PublishedEvent event : publisher.published()) {
          accepted.computeIfAbsent(event.chamber(), k -> new ArrayList<>()).add(event.contextId());
        }
      }
      int judgedFirst = count(accepted);
      await("everything judged").atMost(seconds(30))
          .until(() -> cluster.streamCount(Subjects.VERDICT_STREAM) == judgedFirst);
      assertTrue(purged(cluster) > 0, "judged events removed to make room");
      assertTrue(completions(cluster).getFirstSequence() > 1, "the oldest judged events are gone");

      // (b) No defender: the backlog grows until the keeper closes the stream to new events. A real
      // collector is far slower than the keeper's rounds; this one waits for a round near the top.
      cluster.killWorker(0);
      long firstBacklog = 0;
      int backlog = 0;
      StorageLimitException refused = null;
      for (int n = 0; refused == null && n < 10 * capacity; n++) {
        ChamberKey chamber = chambers.get(n % chambers.size());
        CompletionEvent event = new CompletionEvent(chamber, "ctx-" + chamber.toolId() + "-backlog-" + n,
            System.currentTimeMillis(), null);
        try {
          PublishAck ack = StorageLimitException.guard(Subjects.COMPLETIONS_STREAM, () -> cluster.client.jetStream()
              .publish(Subjects.completed(chamber), NatsHeaders.msgId(event.contextId()),
                  CompletionCodec.toJson(event).toBuffer().getBytes()));
          firstBacklog = firstBacklog == 0 ? ack.getSeqno() : firstBacklog;
          accepted.computeIfAbsent(chamber, k -> new ArrayList<>()).add(event.contextId());
          backlog++;
          if (!gateClosed(cluster) && streamFill(cluster) >= CompletionsRoom.GATE_AT) {
            await("closed, or judged events removed").atMost(seconds(10))
                .until(() -> gateClosed(cluster) || streamFill(cluster) < CompletionsRoom.GATE_AT);
          }
        } catch (StorageLimitException full) {
          refused = full;
        }
      }
      assertNotNull(refused, "the publisher refused once the backlog filled the stream");
      assertEquals(StorageLimitException.STREAM_MAX_MESSAGES, refused.reason(), refused.getMessage());
      StreamState full = completions(cluster);
      assertEquals(firstBacklog, full.getFirstSequence(), "the judged events before the backlog removed, none of it");
      assertEquals(backlog, full.getMsgCount(), "every accepted un-judged event still stored");
      assertTrue(backlog > capacity * CompletionsRoom.GATE_AT * 0.9, "the backlog fills the stream: " + backlog
          + " of ~" + capacity);
      double purgedWhenFull = purged(cluster);
      long first = firstBacklog;
      await("the keeper removes nothing from a stream full of un-judged events").during(Duration.ofMillis(1_500))
          .atMost(seconds(10)).until(() -> purged(cluster) == purgedWhenFull
              && completions(cluster).getFirstSequence() == first && gateClosed(cluster));

      // (c) A defender again: the backlog is judged, room is made, publishing works.
      cluster.addWorker("defender-2");
      int all = count(accepted);
      await("every accepted event judged").atMost(seconds(60))
          .until(() -> cluster.streamCount(Subjects.VERDICT_STREAM) >= all);
      await("room made, open again").atMost(seconds(10))
          .until(() -> !gateClosed(cluster) && streamFill(cluster) < CompletionsRoom.HIGH_WATER);
      for (int round = 0; round < 3; round++) {
        publishRound(cluster, chambers, "after-" + round, accepted);
      }
      int expected = count(accepted);
      await("the new events judged").atMost(seconds(30))
          .until(() -> cluster.streamCount(Subjects.VERDICT_STREAM) >= expected);

      Map<ChamberKey, List<String>> judged = judgedPerChamber(cluster, expected);
      assertEquals(expected, cluster.streamCount(Subjects.VERDICT_STREAM), "no verdict twice");
      assertEquals(accepted, judged, "every accepted event judged, once, in order per chamber");
      assertEquals(0, cluster.api("/api/stats").getLong("deadLettered"), "nothing dead-lettered");
      System.out.printf("StorageLimitsIT: completions stream of %d bytes (~%d events): %d events published and judged "
          + "without a refusal, %d judged events removed to make room in all, a backlog of %d un-judged events closed "
          + "it and was kept whole, %d events judged in all%n",
          COMPLETIONS_MAX_BYTES, capacity, judgedFirst, (long) purged(cluster), backlog, expected);
    }
  }

  private static StreamState completions(InJvmCluster cluster) throws Exception {
    return cluster.client.jetStreamManagement().getStreamInfo(Subjects.COMPLETIONS_STREAM).getStreamState();
  }

  /** Judged events the gateway removed from the completions stream to make room. */
  private static double purged(InJvmCluster cluster) {
    return cluster.gateway.node().registry().find("chamberlain.completions.room.purged").counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  /** The completions stream's bytes over its max bytes, read now. */
  private static double streamFill(InJvmCluster cluster) throws Exception {
    return (double) completions(cluster).getByteCount() / COMPLETIONS_MAX_BYTES;
  }

  /** Whether the gateway closed the completions stream to new events (its message limit, the gate). */
  private static boolean gateClosed(InJvmCluster cluster) throws Exception {
    return cluster.client.jetStreamManagement().getStreamInfo(Subjects.COMPLETIONS_STREAM).getConfiguration()
        .getMaxMsgs() > 0;
  }

  private static int count(Map<ChamberKey, List<String>> events) {
    return events.values().stream().mapToInt(List::size).sum();
  }

  /** The gateway's count of dead letters refused because the dead-letter stream is at its size limit. */
  private static double gatewayRefused(InJvmCluster cluster) {
    return cluster.gateway.node().registry().find(WorkerMetrics.REFUSED)
        .tag("store", Subjects.DEAD_LETTER_STREAM).tag("reason", StorageLimitException.STREAM_MAX_BYTES)
        .counters().stream().mapToDouble(Counter::count).sum();
  }

  private static void publishRound(InJvmCluster cluster, List<ChamberKey> chambers, String round,
      Map<ChamberKey, List<String>> published) throws Exception {
    for (ChamberKey chamber : chambers) {
      CompletionEvent event = new CompletionEvent(chamber, "ctx-" + chamber.toolId() + "-" + round,
          System.currentTimeMillis(), null);
      cluster.client.jetStream().publish(Subjects.completed(chamber), NatsHeaders.msgId(event.contextId()),
          CompletionCodec.toJson(event).toBuffer().getBytes());
      published.computeIfAbsent(chamber, k -> new ArrayList<>()).add(event.contextId());
    }
  }

  /** The defender's count of verdict publishes refused because the stream is at its size limit. */
  private static double refused(InJvmCluster cluster) {
    return cluster.workers.get(0).node().registry().find(WorkerMetrics.REFUSED)
        .tag("store", Subjects.VERDICT_STREAM).tag("reason", StorageLimitException.STREAM_MAX_BYTES)
        .counters().stream().mapToDouble(Counter::count).sum();
  }

  /** The contexts of the first {@code expected} verdicts, per chamber in the order they were published. */
  private static Map<ChamberKey, List<String>> judgedPerChamber(InJvmCluster cluster, int expected) throws Exception {
    Map<ChamberKey, List<String>> judged = new TreeMap<>();
    cluster.read(Subjects.VERDICT_STREAM, Subjects.VERDICT_ALL, expected).forEach(message -> {
      JsonObject verdict = new JsonObject(new String(message.getData(), StandardCharsets.UTF_8));
      ChamberKey chamber = new ChamberKey(verdict.getString("toolId"), verdict.getString("chamberId"));
      judged.computeIfAbsent(chamber, k -> new ArrayList<>()).add(verdict.getString("contextId"));
    });
    return judged;
  }
}
