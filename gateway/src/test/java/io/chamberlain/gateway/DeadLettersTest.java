package io.chamberlain.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.NatsHeaders;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.Subscription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A dead letter is published, or its future fails — {@link DeadLetters#publish} never throws, whatever
 * the event brought — against a real nats-server whose {@code max_payload} is small, so an event that
 * fits it alone but not beside the dead-letter headers can be tried.
 */
class DeadLettersTest {

  private static final int MAX_PAYLOAD = 8 * 1024;

  @Test
  void anEventAtTheServersLimitKeepsItsBeginningAndSaysHowLongItWas() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (NatsTestServer server = NatsTestServer.start("max_payload: " + MAX_PAYLOAD);
        Connection nats = Nats.connect(server.url())) {
      JetStreamSetup.ensureDeadLetters(nats);
      DeadLetters deadLetters = new DeadLetters(vertx, nats);

      byte[] small = "{\"toolId\":\"tøol1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Message ordinary = received(nats, "dc.tøol1.1.completed", small);
      await(deadLetters.publish(ordinary, "invalid-field", "toolId 'tøol1' contains characters…\nsecond line"));
      byte[] full = new byte[MAX_PAYLOAD - 100];
      Arrays.fill(full, (byte) 'x');
      Message large = received(nats, "dc.tool1.1.completed", full);
      await(deadLetters.publish(large, "too-large", "r".repeat(5_000)));

      JetStreamSubscription stored = nats.jetStream().subscribe(Subjects.DEAD_LETTER_ALL,
          PushSubscribeOptions.builder().stream(Subjects.DEAD_LETTER_STREAM).ordered(true).build());
      Message first = stored.nextMessage(Duration.ofSeconds(10));
      assertEquals("dc.tøol1.1.completed", NatsHeaders.read(first.getHeaders(), NatsHeaders.DLQ_SUBJECT));
      assertEquals("toolId 'tøol1' contains characters…\nsecond line", NatsHeaders.read(first.getHeaders(), NatsHeaders.DLQ_REASON));
      assertEquals("1", NatsHeaders.read(first.getHeaders(), NatsHeaders.DLQ_DELIVERIES));
      assertArrayEquals(small, first.getData(), "kept whole");
      assertNull(first.getHeaders().getFirst(NatsHeaders.DLQ_ORIGINAL_BYTES));

      Message second = stored.nextMessage(Duration.ofSeconds(10));
      assertNotNull(second);
      assertEquals(String.valueOf(full.length), NatsHeaders.read(second.getHeaders(), NatsHeaders.DLQ_ORIGINAL_BYTES));
      assertTrue(second.getData().length < full.length, "cut: " + second.getData().length);
      assertTrue(second.getData().length + second.getHeaders().serializedLength() <= MAX_PAYLOAD);
      assertArrayEquals(Arrays.copyOf(full, second.getData().length), second.getData(), "its beginning");
      assertTrue(NatsHeaders.isTruncated(second.getHeaders().getFirst(NatsHeaders.DLQ_REASON)));

      nats.close();
      Future<?> closed = deadLetters.publish(ordinary, "invalid-field", "the connection is closed");
      assertTrue(closed.failed(), "a publish that cannot be made fails its future instead of throwing");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** {@code data} published on {@code subject} and received by a plain subscription (one delivery). */
  private static Message received(Connection nats, String subject, byte[] data) throws Exception {
    Subscription subscription = nats.subscribe("dc.*.1.completed");
    nats.publish(subject, new NatsHeaders().put(NatsHeaders.MSG_ID, "ctx-1").headers(), data);
    Message message = subscription.nextMessage(Duration.ofSeconds(10));
    subscription.unsubscribe();
    assertNotNull(message, subject);
    return message;
  }

  private static void await(Future<?> future) throws Exception {
    future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
