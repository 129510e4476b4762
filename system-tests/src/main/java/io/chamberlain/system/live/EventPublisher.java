package io.chamberlain.system.live;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.config.NatsSettings;
import io.chamberlain.nats.NatsOptions;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes completion events over a set of chambers, round robin, the way an independent client
 * would ({@link CompletionWire}): at an offered rate, or as fast as JetStream acks them
 * ({@code eventsPerSecond} infinite). Publishes are asynchronous with at most {@link #WINDOW}
 * unacknowledged, so a paced rate is kept even when one ack is slow; each event's {@code sentAt}
 * is its own publish call, so its latency does not include the time the run took to get to it. A
 * failed publish is repeated synchronously with the same id (JetStream de-duplicates it), at most
 * {@link #ATTEMPTS} times in all.
 */
public final class EventPublisher implements AutoCloseable {

  public static final int WINDOW = 256;
  private static final int ATTEMPTS = 5;

  private final Connection connection;
  private final JetStream jetStream;
  private final String runTag = RunTags.next();
  private final Map<ChamberKey, Integer> sequences = new HashMap<>();

  private record InFlight(ChamberKey chamber, String contextId, String traceRef, long sentAt,
      CompletableFuture<PublishAck> ack) {
  }

  public EventPublisher(String natsUrl) throws IOException, InterruptedException {
    this(NatsSettings.plain(natsUrl));
  }

  /** Connects as the cluster's nodes do (credentials, TLS). */
  public EventPublisher(NatsSettings nats) throws IOException, InterruptedException {
    this.connection = Nats.connect(NatsOptions.builder(nats, "bench-publisher")
        .maxMessagesInOutgoingQueue(Math.max(10_000, 2 * WINDOW)).build());
    this.jetStream = connection.jetStream();
  }

  /**
   * Publishes {@code count} events over {@code chambers} at {@code eventsPerSecond} (infinite: as
   * fast as acked), each naming its chamber's trace {@code traceRefs.get(chamber)} (none if absent);
   * returns them once every one is acked.
   */
  public List<PublishedEvent> publish(List<ChamberKey> chambers, Map<ChamberKey, String> traceRefs, int count,
                                      double eventsPerSecond) throws Exception {
    List<PublishedEvent> published = new ArrayList<>(count);
    Deque<InFlight> inFlight = new ArrayDeque<>();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      if (Double.isFinite(eventsPerSecond)) {
        long due = start + (long) (i * 1e9 / eventsPerSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait); // pacing the offered load, not synchronisation
        }
      }
      while (!inFlight.isEmpty() && (inFlight.size() >= WINDOW || inFlight.peekFirst().ack().isDone())) {
        published.add(settle(inFlight.removeFirst()));
      }
      ChamberKey chamber = chambers.get(i % chambers.size());
      String contextId = RunTags.contextId(runTag, chamber, sequences.merge(chamber, 1, Integer::sum));
      String traceRef = traceRefs.get(chamber);
      long sentAt = System.currentTimeMillis();
      inFlight.addLast(new InFlight(chamber, contextId, traceRef, sentAt, jetStream.publishAsync(
          CompletionWire.subject(chamber.toolId(), chamber.chamberId()), CompletionWire.headers(contextId),
          CompletionWire.body(chamber.toolId(), chamber.chamberId(), contextId, sentAt, traceRef))));
    }
    while (!inFlight.isEmpty()) {
      published.add(settle(inFlight.removeFirst()));
    }
    return published;
  }

  private PublishedEvent settle(InFlight event) throws Exception {
    Exception last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        if (attempt == 0) {
          event.ack().get(30, TimeUnit.SECONDS);
        } else {
          jetStream.publish(CompletionWire.subject(event.chamber().toolId(), event.chamber().chamberId()),
              CompletionWire.headers(event.contextId()), CompletionWire.body(event.chamber().toolId(),
                  event.chamber().chamberId(), event.contextId(), event.sentAt(), event.traceRef()));
        }
        return new PublishedEvent(event.chamber(), event.contextId(), event.sentAt(), event.sentAt(),
            System.currentTimeMillis());
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
    }
    throw new IllegalStateException("could not publish " + event.contextId() + " after " + ATTEMPTS + " attempts", last);
  }

  /** One event for each of {@code chambers}, all at once, as fast as JetStream acks them. */
  public static List<PublishedEvent> publishOneEach(String natsUrl, List<ChamberKey> chambers) {
    try (EventPublisher publisher = new EventPublisher(natsUrl)) {
      return publisher.publish(chambers, Map.of(), chambers.size(), Double.POSITIVE_INFINITY);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing a burst", e);
    } catch (Exception e) {
      throw new IllegalStateException("burst publisher at " + natsUrl + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    connection.close();
  }

}
