package io.chamberlain.gateway;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.config.GatewayConfig.IngestSettings;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.StreamContext;
import io.nats.client.api.StorageType;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lane's consumer against a real nats-server: a delivery that never reached the gateway (the
 * connection died with it on the way) comes again right after the reconnect, not only after the
 * ack wait — which would put it behind its chamber's next event.
 */
class CompletionsConsumerTest {

  /** Far above the test's wait: a delivery that comes again within the wait came from the reset, not the ack wait. */
  private static final Duration ACK_WAIT = Duration.ofMinutes(5);
  private static final IngestSettings SETTINGS = new IngestSettings("memory", Duration.ofHours(1), 64L << 20,
      ACK_WAIT, 1000, Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(1_700),
      Duration.ofMillis(100), Duration.ofSeconds(1), 3, 1, IngestSettings.DEFAULT_MAX_EVENT_BYTES);

  private final Vertx vertx = Vertx.vertx();
  private NatsTestServer server;
  private Connection nats;

  @BeforeEach
  void completionsStream() throws Exception {
    server = NatsTestServer.start();
    nats = Nats.connect(server.url());
    JetStreamSetup.ensureCompletions(nats,
        new JetStreamSetup.CompletionLimits(StorageType.Memory, SETTINGS.maxAge(), SETTINGS.maxBytes(), 1));
  }

  @AfterEach
  void closeAll() throws Exception {
    try (NatsTestServer stopping = server; Connection closing = nats) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDeliveryLostWithTheConnectionComesAgainRightAfterTheReconnect() throws Exception {
    List<Long> delivered = new CopyOnWriteArrayList<>();
    // The first delivery of the first event is lost on the way: never acknowledged, never handed back.
    CompletionsConsumer consumer = new CompletionsConsumer(nats, new IngestLane(0, 1), SETTINGS, vertx.getOrCreateContext(),
        message -> {
          delivered.add(message.metaData().streamSequence());
          if (delivered.size() > 1) {
            message.ack();
          }
        });
    consumer.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    publish(nats, "ctx-1");
    await("the first event delivered (and lost)").atMost(seconds(10)).until(() -> delivered.size() == 1);

    nats.forceReconnect();
    await("the lost event delivered again after the reconnect, well before the ack wait")
        .atMost(seconds(20)).until(() -> delivered.size() >= 2);
    publish(nats, "ctx-2");
    await("the next event delivered").atMost(seconds(10)).until(() -> delivered.contains(2L));
    assertEquals(List.of(1L, 1L, 2L), delivered, "stream sequences in delivery order");
    consumer.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Two resets before anything was acknowledged again start where the first did, not at the stream's start. */
  @Test
  void aResetRightAfterAResetDoesNotDeliverTheAcknowledgedAgain() throws Exception {
    List<Long> delivered = new CopyOnWriteArrayList<>();
    IngestLane lane = new IngestLane(0, 1);
    CompletionsConsumer consumer = new CompletionsConsumer(nats, lane, SETTINGS, vertx.getOrCreateContext(),
        message -> {
          delivered.add(message.metaData().streamSequence());
          message.ack();
        });
    consumer.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    publish(nats, "ctx-1");
    publish(nats, "ctx-2");
    StreamContext stream = nats.getStreamContext(Subjects.COMPLETIONS_STREAM);
    await("both acknowledged").atMost(seconds(10))
        .until(() -> stream.getConsumerInfo(lane.consumer()).getAckFloor().getStreamSequence() == 2);

    for (int reset = 1; reset <= 2; reset++) {
      ZonedDateTime before = stream.getConsumerInfo(lane.consumer()).getCreationTime();
      nats.forceReconnect();
      await("reset " + reset + " done").atMost(seconds(20)).until(() -> {
        try {
          return !stream.getConsumerInfo(lane.consumer()).getCreationTime().equals(before);
        } catch (JetStreamApiException | IOException notThereNow) {
          return false;
        }
      });
    }
    publish(nats, "ctx-3");
    await("the next event delivered").atMost(seconds(10)).until(() -> delivered.contains(3L));
    assertEquals(List.of(1L, 2L, 3L), delivered, "stream sequences in delivery order");
    consumer.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static void publish(Connection nats, String contextId) throws Exception {
    ChamberKey chamber = new ChamberKey("tool001", "1");
    nats.jetStream().publish(Subjects.completed(chamber), ("{\"contextId\":\"" + contextId + "\"}").getBytes(StandardCharsets.UTF_8));
  }
}
