package io.chamberlain.system.bench;

import io.chamberlain.config.NatsSettings;
import io.chamberlain.nats.NatsOptions;
import io.chamberlain.system.live.CompletionWire;
import io.chamberlain.system.live.EventPublisher;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.ConsumeOptions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The physical baseline of the pipeline, measured with plain jnats on the same nats-server, with
 * messages of a completion event's size on a file-backed stream like the completions stream:
 * <ul>
 *   <li>publish: asynchronous JetStream publishes, {@link EventPublisher#WINDOW} unacknowledged;
 *   <li>consume + ack: a durable pull consumer ({@code consume}, batches of 256 — what the
 *       ingestion uses) acking every message of a stream already full;
 *   <li>publish then consume: both at once, from the first publish to the last message acked.
 * </ul>
 * The stream is deleted afterwards.
 */
final class RawJetStreamBaseline {

  static final String STREAM = "BENCH_RAW";
  private static final String SUBJECTS = "benchraw.>";

  /** Messages per second of each measurement. */
  record Rates(int messages, double publish, double consumeAck, double publishThenConsume) {
  }

  private RawJetStreamBaseline() {
  }

  static Rates measure(String natsUrl, int messages) throws Exception {
    try (Connection nats = Nats.connect(NatsOptions.builder(NatsSettings.plain(natsUrl), "bench-raw")
        .maxMessagesInOutgoingQueue(100_000).build())) {
      JetStreamManagement management = nats.jetStreamManagement();
      JetStream jetStream = nats.jetStream();
      byte[] body = CompletionWire.body("tool001", "1", "00000000-tool001-1-000001", System.currentTimeMillis());
      management.addStream(StreamConfiguration.builder().name(STREAM).subjects(SUBJECTS)
          .storageType(StorageType.File).build());
      try {
        long start = System.nanoTime();
        publish(jetStream, body, messages);
        double publish = messages / seconds(start);

        start = System.nanoTime();
        consumeAndAck(nats, "full", messages);
        double consumeAck = messages / seconds(start);

        management.purgeStream(STREAM);
        Consuming live = consume(nats, "live", messages);
        start = System.nanoTime();
        publish(jetStream, body, messages);
        live.await();
        double publishThenConsume = messages / seconds(start);
        return new Rates(messages, publish, consumeAck, publishThenConsume);
      } finally {
        management.deleteStream(STREAM);
      }
    }
  }

  private static void publish(JetStream jetStream, byte[] body, int messages) throws Exception {
    Deque<CompletableFuture<PublishAck>> inFlight = new ArrayDeque<>();
    for (int i = 0; i < messages; i++) {
      if (inFlight.size() >= EventPublisher.WINDOW) {
        inFlight.removeFirst().get(30, TimeUnit.SECONDS);
      }
      inFlight.addLast(jetStream.publishAsync("benchraw.tool001.1", body));
    }
    for (CompletableFuture<PublishAck> ack : inFlight) {
      ack.get(30, TimeUnit.SECONDS);
    }
  }

  private static void consumeAndAck(Connection nats, String name, int messages) throws Exception {
    consume(nats, name, messages).await();
  }

  /** A durable pull consumer acking every message, from the stream's start. */
  private record Consuming(String name, MessageConsumer consumer, CountDownLatch remaining) {
    void await() throws Exception {
      boolean all = remaining.await(120, TimeUnit.SECONDS);
      consumer.close(); // unsubscribes now: the stream is deleted next, and an open pull would hear "consumer deleted"
      if (!all) {
        throw new IllegalStateException("raw baseline: consumer '" + name + "' still misses " + remaining.getCount()
            + " messages after 120 s");
      }
    }
  }

  private static Consuming consume(Connection nats, String name, int messages) throws Exception {
    var stream = nats.getStreamContext(STREAM);
    stream.createOrUpdateConsumer(ConsumerConfiguration.builder().durable(name).ackPolicy(AckPolicy.Explicit)
        .maxAckPending(1_000).build());
    CountDownLatch remaining = new CountDownLatch(messages);
    MessageConsumer consumer = stream.getConsumerContext(name).consume(ConsumeOptions.builder().batchSize(256).build(),
        message -> {
          message.ack();
          remaining.countDown();
        });
    return new Consuming(name, consumer, remaining);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
