package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.nats.StorageLimitException;
import io.chamberlain.wire.CompletionCodec;
import io.chamberlain.wire.NatsHeaders;
import io.chamberlain.wire.Subjects;
import io.chamberlain.worker.runtime.WorkerMetrics;
import io.micrometer.core.instrument.Counter;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StreamConfiguration;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * dead-lettered once space returns.
 */
class StorageLimitsIT {

  private static final int CHAMBERS = 3;
  private static final int EVENTS_PER_CHAMBER = 4;

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

      Map<ChamberKey, List<String>> judged = new TreeMap<>();
      Map<String, Integer> perContext = new LinkedHashMap<>();
      cluster.read(Subjects.VERDICT_STREAM, Subjects.VERDICT_ALL, expected).forEach(message -> {
        JsonObject verdict = new JsonObject(new String(message.getData(), StandardCharsets.UTF_8));
        ChamberKey chamber = new ChamberKey(verdict.getString("toolId"), verdict.getString("chamberId"));
        judged.computeIfAbsent(chamber, k -> new ArrayList<>()).add(verdict.getString("contextId"));
        perContext.merge(verdict.getString("contextId"), 1, Integer::sum);
      });
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
}
