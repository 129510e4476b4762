package io.chamberlain.gateway;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.ingest.CompletionsRoom;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.nats.LaneMappingConfig;
import io.chamberlain.nats.StorageLimitException;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.Subjects;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PurgeOptions;
import io.nats.client.StreamContext;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamState;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The room keeper on a real nats-server: the server behaviour it relies on (a partial purge leaves a
 * lane consumer's un-acknowledged events to come again), the keeper removing judged events only —
 * held back by a lane's un-acknowledged events, going further once they are judged — and closing
 * the stream to new events while un-judged ones fill it.
 */
class CompletionsRoomKeeperTest {

  private static final byte[] EVENT = ("{\"toolId\":\"tool1\",\"chamberId\":\"1\",\"contextId\":\"ctx-000000000000\","
      + "\"completedAt\":1764900000000}").getBytes(StandardCharsets.UTF_8);

  /**
   * nats-server 2.9.10 forgets the un-acknowledged deliveries of a consumer without a filter subject
   * on a partial purge (fixed in 2.9.15); a lane's consumer has one — here with one lane, where it is
   * the stream's own subject — and keeps them: they come again after the ack wait.
   */
  @Test
  void aPartialPurgeLeavesALaneConsumersUnacknowledgedEventsToComeAgain() throws Exception {
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      JetStreamSetup.ensureCompletions(nats,
          new JetStreamSetup.CompletionLimits(StorageType.File, Duration.ofHours(1), 1 << 20, 1));
      for (int i = 0; i < 5; i++) {
        nats.jetStream().publish("dc.tool1.1.completed", EVENT);
      }
      StreamContext stream = nats.getStreamContext(Subjects.COMPLETIONS_STREAM);
      stream.createOrUpdateConsumer(laneConsumer(0, 1, Duration.ofSeconds(2)));
      List<Message> delivered = fetch(nats, Subjects.laneConsumer(0, 1), 5);
      assertEquals(5, delivered.size());
      for (int i = 0; i < 3; i++) {
        delivered.get(i).ack();
      }
      nats.flush(Duration.ofSeconds(5));
      await("acks 1–3 recorded").atMost(seconds(10))
          .until(() -> stream.getConsumerInfo(Subjects.laneConsumer(0, 1)).getAckFloor().getStreamSequence() == 3);

      nats.jetStreamManagement().purgeStream(Subjects.COMPLETIONS_STREAM, PurgeOptions.builder().sequence(4).build());

      ConsumerInfo after = stream.getConsumerInfo(Subjects.laneConsumer(0, 1));
      assertEquals(2, after.getNumAckPending(), "events 4 and 5 still un-acknowledged");
      assertEquals(3, after.getAckFloor().getStreamSequence(), "the ack floor did not jump over them");
      List<Long> again = new ArrayList<>();
      for (Message message : fetch(nats, Subjects.laneConsumer(0, 1), 2)) {
        again.add(message.metaData().streamSequence());
      }
      assertEquals(List.of(4L, 5L), again, "delivered again after the ack wait");
    }
  }

  @Test
  void removesJudgedEventsOnlyHeldBackByALanesBacklogAndFurtherOnceItIsJudged() throws Exception {
    Vertx vertx = Vertx.vertx();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    long maxBytes = 16 * 1024;
    try (NatsTestServer server = NatsTestServer.start(LaneMappingConfig.render(2));
         Connection nats = Nats.connect(server.url())) {
      JetStreamManagement jsm = nats.jetStreamManagement();
      JetStreamSetup.ensureCompletions(nats,
          new JetStreamSetup.CompletionLimits(StorageType.Memory, Duration.ofHours(1), maxBytes, 2));
      StreamContext stream = nats.getStreamContext(Subjects.COMPLETIONS_STREAM);
      for (int lane = 0; lane < 2; lane++) {
        stream.createOrUpdateConsumer(laneConsumer(lane, 2, Duration.ofMinutes(1)));
      }
      // A sixth of the stream judged in both lanes, then up to 85 % of which only lane 0 judges.
      publishUntil(nats, maxBytes / 6);
      judge(nats, 0, true);
      judge(nats, 1, true);
      publishUntil(nats, (long) (maxBytes * 0.85));
      judge(nats, 0, true);
      List<Message> backlog = judge(nats, 1, false);
      long firstUnjudged = backlog.get(0).metaData().streamSequence();
      await("lane 1's events delivered, un-acknowledged").atMost(seconds(10)).until(() ->
          stream.getConsumerInfo(Subjects.laneConsumer(1, 2)).getNumAckPending() == backlog.size());
      long laneOneFloor = stream.getConsumerInfo(Subjects.laneConsumer(1, 2)).getAckFloor().getStreamSequence();

      CompletionsRoomKeeper keeper = new CompletionsRoomKeeper(nats, 2, () -> true, registry);
      vertx.deployVerticle(keeper).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      await("judged events before lane 1's backlog removed").atMost(seconds(20))
          .until(() -> jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getStreamState().getFirstSequence() > 1);
      StreamState held = jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getStreamState();
      // Lane 1 has events un-acknowledged: its ack floor holds the cut (other lanes' events up to its
      // first un-judged one would be judged too, but the lower reading counts).
      assertEquals(laneOneFloor + 1, held.getFirstSequence(), "cut at lane 1's ack floor");
      assertTrue(held.getFirstSequence() <= firstUnjudged, "not past lane 1's first un-judged event " + firstUnjudged);
      assertEquals(held.getFirstSequence() - 1, purged(registry), "counted");
      assertTrue(held.getByteCount() > CompletionsRoom.LOW_WATER * maxBytes, "short of the low-water mark: " + held);
      assertEquals(backlog.size(), stream.getConsumerInfo(Subjects.laneConsumer(1, 2)).getNumAckPending(),
          "lane 1's backlog untouched");

      for (Message message : backlog) {
        message.ack();
      }
      nats.flush(Duration.ofSeconds(5));
      publishUntil(nats, (long) (maxBytes * 0.85));
      judge(nats, 0, true);
      judge(nats, 1, true);
      await("down to the low-water mark once everything is judged").atMost(seconds(20)).until(() ->
          jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getStreamState().getByteCount()
              < CompletionsRoom.LOW_WATER * maxBytes + EVENT.length + 64);
      StreamState roomy = jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getStreamState();
      assertTrue(roomy.getByteCount() >= CompletionsRoom.LOW_WATER * maxBytes, "not below it: " + roomy);
      assertEquals(roomy.getFirstSequence() - 1, purged(registry), "every removed event counted");
      await("the fill exported").atMost(seconds(10)).until(() -> Math.abs(
          registry.get(CompletionsRoomKeeper.FILL).gauge().value() - (double) roomy.getByteCount() / maxBytes) < 1e-9);
      String scrape = registry.scrape();
      assertTrue(scrape.contains("chamberlain_completions_fill_ratio ") && scrape.contains(
          "chamberlain_completions_room_purged_total " + (double) purged(registry)), scrape);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      registry.close();
    }
  }

  /**
   * Without the gate, nats-server 2.9.10 deletes the oldest events of a discard-new stream at its
   * byte limit when events of mixed sizes keep coming (see {@link CompletionsRoom}). Un-judged events
   * holding the stream above 90 %: the keeper closes it, every further publish is refused for the
   * message limit beyond the headroom, nothing is deleted; judged, room is made and it opens again.
   */
  @Test
  void unjudgedEventsAboveTheGateCloseTheStreamAndNothingIsDeleted() throws Exception {
    Vertx vertx = Vertx.vertx();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    long maxBytes = 8 * 1024;
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      JetStreamManagement jsm = nats.jetStreamManagement();
      JetStreamSetup.ensureCompletions(nats,
          new JetStreamSetup.CompletionLimits(StorageType.File, Duration.ofHours(1), maxBytes, 1));
      StreamContext stream = nats.getStreamContext(Subjects.COMPLETIONS_STREAM);
      stream.createOrUpdateConsumer(laneConsumer(0, 1, Duration.ofMinutes(1)));
      int accepted = 0;
      while (jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getStreamState().getByteCount() < 0.92 * maxBytes) {
        nats.jetStream().publish("dc.tool1.1.completed", mixedSize(accepted++));
      }
      List<Message> unjudged = fetch(nats, Subjects.laneConsumer(0, 1), accepted);
      assertEquals(accepted, unjudged.size());

      vertx.deployVerticle(new CompletionsRoomKeeper(nats, 1, () -> true, registry))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      await("closed to new events").atMost(seconds(10))
          .until(() -> jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getConfiguration().getMaxMsgs() > 0);
      long gate = jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getConfiguration().getMaxMsgs();
      int refused = 0;
      for (int i = 0; i < 500; i++) {
        byte[] event = mixedSize(i);
        try {
          StorageLimitException.guard(Subjects.COMPLETIONS_STREAM,
              () -> nats.jetStream().publish("dc.tool1.1.completed", event));
          accepted++;
        } catch (StorageLimitException full) {
          assertEquals(StorageLimitException.STREAM_MAX_MESSAGES, full.reason(), full.getMessage());
          refused++;
        }
      }
      StreamState closed = jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getStreamState();
      assertEquals(gate, closed.getMsgCount(), "took events up to the gate, then none");
      assertEquals(accepted, closed.getMsgCount(), "nothing deleted");
      assertEquals(1, closed.getFirstSequence(), "nothing deleted");
      assertTrue(closed.getByteCount() <= maxBytes, closed.toString());
      assertEquals(500 - (accepted - unjudged.size()), refused);

      for (Message message : unjudged) {
        message.ack();
      }
      judgeAll(nats, 0, 1);
      await("open again once judged and room made").atMost(seconds(10))
          .until(() -> jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getConfiguration().getMaxMsgs() <= 0);
      assertTrue(jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getStreamState().getByteCount() < 0.8 * maxBytes);
      nats.jetStream().publish("dc.tool1.1.completed", mixedSize(0));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      registry.close();
    }
  }

  /** An event of 50–150 bytes. */
  private static byte[] mixedSize(int n) {
    return new byte[50 + (n * 37) % 101];
  }

  /** Pulls and acknowledges everything waiting in {@code lane} of {@code lanes}. */
  private static void judgeAll(Connection nats, int lane, int lanes) throws Exception {
    StreamContext stream = nats.getStreamContext(Subjects.COMPLETIONS_STREAM);
    int waiting = (int) stream.getConsumerInfo(Subjects.laneConsumer(lane, lanes)).getNumPending();
    for (Message message : fetch(nats, Subjects.laneConsumer(lane, lanes), Math.max(1, waiting))) {
      message.ack();
    }
    nats.flush(Duration.ofSeconds(5));
    await("lane " + lane + " judged").atMost(seconds(10)).until(() -> {
      ConsumerInfo info = stream.getConsumerInfo(Subjects.laneConsumer(lane, lanes));
      return info.getNumPending() == 0 && info.getNumAckPending() == 0;
    });
  }

  /** The lane's consumer as {@code CompletionsConsumer} configures it. */
  private static ConsumerConfiguration laneConsumer(int lane, int lanes, Duration ackWait) {
    return ConsumerConfiguration.builder().durable(Subjects.laneConsumer(lane, lanes))
        .filterSubject(Subjects.laneFilter(lane, lanes)).deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(1)
        .ackPolicy(AckPolicy.Explicit).ackWait(ackWait).build();
  }

  /** Publishes events over 40 chambers (both lanes) until the stream holds at least {@code bytes}. */
  private static void publishUntil(Connection nats, long bytes) throws Exception {
    for (int n = 0; nats.jetStreamManagement().getStreamInfo(Subjects.COMPLETIONS_STREAM).getStreamState()
        .getByteCount() < bytes; n++) {
      nats.jetStream().publish("dc.tool1." + n % 40 + ".completed", EVENT);
    }
  }

  /** Pulls everything waiting in {@code lane} (of 2), acknowledging it if {@code ack}. */
  private static List<Message> judge(Connection nats, int lane, boolean ack) throws Exception {
    StreamContext stream = nats.getStreamContext(Subjects.COMPLETIONS_STREAM);
    int waiting = (int) stream.getConsumerInfo(Subjects.laneConsumer(lane, 2)).getNumPending();
    List<Message> messages = fetch(nats, Subjects.laneConsumer(lane, 2), waiting);
    assertEquals(waiting, messages.size(), "lane " + lane + " delivered what waited");
    if (ack) {
      for (Message message : messages) {
        message.ack();
      }
      nats.flush(Duration.ofSeconds(5));
      await("lane " + lane + " judged").atMost(seconds(10))
          .until(() -> stream.getConsumerInfo(Subjects.laneConsumer(lane, 2)).getNumAckPending() == 0);
    }
    return messages;
  }

  private static List<Message> fetch(Connection nats, String consumer, int max) throws Exception {
    List<Message> messages = new ArrayList<>();
    try (FetchConsumer fetch = nats.getStreamContext(Subjects.COMPLETIONS_STREAM).getConsumerContext(consumer)
        .fetch(FetchConsumeOptions.builder().maxMessages(max).expiresIn(seconds(5).toMillis()).build())) {
      for (Message message = fetch.nextMessage(); message != null; message = fetch.nextMessage()) {
        messages.add(message);
      }
    }
    return messages;
  }

  private static long purged(PrometheusMeterRegistry registry) {
    return (long) registry.get(CompletionsRoomKeeper.PURGED).counter().count();
  }
}
