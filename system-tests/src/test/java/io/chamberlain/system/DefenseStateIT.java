package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.defense.DefenseSettings;
import io.chamberlain.defense.TraceCodec;
import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.wire.CompletionCodec;
import io.chamberlain.wire.NatsHeaders;
import io.chamberlain.wire.Subjects;
import io.nats.client.Message;
import io.nats.client.ObjectStore;
import io.nats.client.impl.Headers;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The defense process on the running cluster: traces come from the object store, a chamber's
 * learned limits and history survive a move to another defender (the state travels through
 * JetStream KV), an event whose trace is missing is dead-lettered after the bounded retries and
 * one whose trace is corrupt at once, neither blocking the chamber.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefenseStateIT {

  private static final ChamberProfile PROFILE = new ChamberProfile(ChamberKey.parse("tool900:1"), 20, 1, 60);
  private static final int WARMUP = DefenseSettings.DEFAULTS.warmupContexts();

  private InJvmCluster cluster;
  private ObjectStore traces;
  private final TraceGenerator generator = new TraceGenerator(new TraceGenerator.Settings(7, 0.0, 1));
  private int published;

  @BeforeAll
  void start() throws Exception {
    cluster = new InJvmCluster("chambers:\n  - { tool: tool900, chamber: \"1\", svidCount: 20, hz: 1, contextSeconds: 60 }\n", 2);
    JetStreamSetup.ensureTraces(cluster.client, Duration.ofMinutes(10));
    traces = cluster.client.objectStore(Subjects.TRACE_BUCKET);
    await("the chamber is owned").atMost(seconds(30)).until(() -> cluster.currentAssignment().ownerOf(PROFILE.chamber()) != null);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void learnedStateFollowsTheChamberToItsNewOwnerAndAMissingTraceIsDeadLettered() throws Exception {
    publishWithStoredTraces(WARMUP + 2);
    List<JsonObject> before = awaitVerdicts(WARMUP + 2);
    String firstOwner = before.get(0).getString("defender");
    assertTrue(before.get(WARMUP - 1).getBoolean("learning"), "the first contexts are learned");
    assertFalse(before.get(WARMUP + 1).getBoolean("learning"), "past the warm-up the chamber judges");

    assertEquals(401, cluster.post("/api/defenders/" + firstOwner + "/drain", null).statusCode());
    java.net.http.HttpResponse<String> wrongToken = cluster.post("/api/defenders/" + firstOwner + "/drain", "wrong");
    assertEquals(403, wrongToken.statusCode());
    assertEquals("application/problem+json", wrongToken.headers().firstValue("content-type").orElse(""));
    java.net.http.HttpResponse<String> badId = cluster.post("/api/defenders/bad.id/drain", InJvmCluster.ADMIN_TOKEN);
    assertEquals(400, badId.statusCode());
    JsonObject problem = new JsonObject(badId.body());
    assertEquals("id", problem.getString("field"), badId.body());
    assertEquals(400, problem.getInteger("status"));
    assertTrue(problem.getString("detail").contains("bad.id"), badId.body());
    assertEquals(404, cluster.post("/api/nothing-here", InJvmCluster.ADMIN_TOKEN).statusCode());
    assertEquals(200, cluster.post("/api/defenders/" + firstOwner + "/drain", InJvmCluster.ADMIN_TOKEN).statusCode());
    await("the chamber moved").atMost(seconds(30))
        .until(() -> !firstOwner.equals(cluster.currentAssignment().ownerOf(PROFILE.chamber())));
    assertEquals(0, cluster.api("/api/assignments?defender=" + firstOwner).getInteger("count"), "a drained defender holds none");

    publishWithStoredTraces(5);
    List<JsonObject> after = awaitVerdicts(WARMUP + 7).subList(WARMUP + 2, WARMUP + 7);
    for (JsonObject verdict : after) {
      assertNotEquals(firstOwner, verdict.getString("defender"), "processed by the new owner");
      assertFalse(verdict.getBoolean("learning"), "the new owner continued the learned limits, it did not start over");
    }

    publish(new CompletionEvent(PROFILE.chamber(), "ctx-missing-trace", System.currentTimeMillis(), "no-such-trace"));
    publishWithStoredTraces(1);
    await("the event with a missing trace is dead-lettered").atMost(seconds(60))
        .until(() -> cluster.streamCount(Subjects.DEAD_LETTER_STREAM) >= 1);
    Message deadLetter = cluster.read(Subjects.DEAD_LETTER_STREAM, Subjects.DEAD_LETTER_ALL, 1).get(0);
    assertEquals(Subjects.deadLetter("trace-missing"), deadLetter.getSubject());
    assertTrue(NatsHeaders.read(deadLetter.getHeaders(), NatsHeaders.DLQ_REASON).contains("no-such-trace"),
        NatsHeaders.read(deadLetter.getHeaders(), NatsHeaders.DLQ_REASON));
    List<JsonObject> all = awaitVerdicts(WARMUP + 8);
    assertEquals("ctx-" + (WARMUP + 7), all.get(WARMUP + 7).getString("contextId"), "the chamber went on after the dead letter");

    // A corrupt stored trace never gets better: dead-lettered on its first delivery, the chamber goes on.
    byte[] corrupt = TraceCodec.encode(generator.generate(PROFILE, "ctx-corrupt").trace());
    corrupt[corrupt.length - 1] ^= 1;
    traces.put("ctx-corrupt", corrupt);
    publish(new CompletionEvent(PROFILE.chamber(), "ctx-corrupt", System.currentTimeMillis(), "ctx-corrupt"));
    publishWithStoredTraces(1);
    await("the event with a corrupt trace is dead-lettered").atMost(seconds(60))
        .until(() -> cluster.streamCount(Subjects.DEAD_LETTER_STREAM) >= 2);
    Message rejected = cluster.read(Subjects.DEAD_LETTER_STREAM, Subjects.DEAD_LETTER_ALL, 2).get(1);
    assertEquals(Subjects.deadLetter("trace-corrupt"), rejected.getSubject());
    assertEquals("1", NatsHeaders.read(rejected.getHeaders(), NatsHeaders.DLQ_DELIVERIES), "not retried: it cannot get better");
    assertTrue(NatsHeaders.read(rejected.getHeaders(), NatsHeaders.DLQ_REASON).contains("ctx-corrupt"),
        NatsHeaders.read(rejected.getHeaders(), NatsHeaders.DLQ_REASON));
    List<JsonObject> last = awaitVerdicts(WARMUP + 9);
    assertEquals("ctx-" + (WARMUP + 8), last.get(WARMUP + 8).getString("contextId"), "the chamber went on");
  }

  private void publishWithStoredTraces(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      String contextId = "ctx-" + published++;
      traces.put(contextId, TraceCodec.encode(generator.generate(PROFILE, contextId).trace()));
      publish(new CompletionEvent(PROFILE.chamber(), contextId, System.currentTimeMillis(), contextId));
    }
  }

  private void publish(CompletionEvent event) throws Exception {
    cluster.client.jetStream().publish(Subjects.completed(event.chamber()),
        new Headers().put("Nats-Msg-Id", event.contextId()), CompletionCodec.toJson(event).toBuffer().getBytes());
  }

  private List<JsonObject> awaitVerdicts(int count) throws Exception {
    await(count + " verdicts").atMost(seconds(60)).until(() -> cluster.streamCount(Subjects.VERDICT_STREAM) >= count);
    return cluster.read(Subjects.VERDICT_STREAM, Subjects.VERDICT_ALL, count).stream()
        .map(m -> new JsonObject(new String(m.getData(), StandardCharsets.UTF_8))).toList();
  }
}
