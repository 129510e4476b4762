package io.chamberlain.system.live;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.testkit.TestTimeouts;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.PublishAck;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One completion event for each of many chambers "at once": as fast as an independent client can
 * publish them — asynchronous JetStream publishes with at most {@link #WINDOW} unacknowledged, each
 * written by {@link CompletionWire}. Every event's {@code sentAt} is its own publish call, so its
 * latency does not include the time the burst took to get to it. A publish that failed is
 * published again synchronously with the same id (JetStream de-duplicates), at most
 * {@link #ATTEMPTS} times.
 */
public final class BurstPublisher {

  static final int WINDOW = 256;
  private static final int ATTEMPTS = 5;

  private BurstPublisher() {
  }

  /** Publishes one event per chamber, in the given order; returns them once all are acked. */
  public static List<PublishedEvent> publishOneEach(String natsUrl, List<ChamberKey> chambers) {
    String runTag = RunTags.next();
    try (Connection connection = Nats.connect(new Options.Builder().server(natsUrl).connectionName("burst-publisher")
        .maxMessagesInOutgoingQueue(Math.max(10_000, 2 * WINDOW)).build())) {
      JetStream jetStream = connection.jetStream();
      List<PublishedEvent> published = new ArrayList<>(chambers.size());
      Deque<InFlight> inFlight = new ArrayDeque<>();
      for (ChamberKey chamber : chambers) {
        if (inFlight.size() >= WINDOW) {
          published.add(settle(jetStream, inFlight.removeFirst()));
        }
        String contextId = RunTags.contextId(runTag, chamber, 1);
        long now = System.currentTimeMillis();
        inFlight.addLast(new InFlight(chamber, contextId, now, now, publishAsync(jetStream, chamber, contextId, now)));
      }
      while (!inFlight.isEmpty()) {
        published.add(settle(jetStream, inFlight.removeFirst()));
      }
      return published;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing a burst", e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("burst publisher could not connect to " + natsUrl, e);
    }
  }

  private record InFlight(ChamberKey chamber, String contextId, long completedAt, long sentAt,
      CompletableFuture<PublishAck> ack) {
  }

  private static CompletableFuture<PublishAck> publishAsync(JetStream jetStream, ChamberKey chamber, String contextId,
      long completedAt) {
    return jetStream.publishAsync(CompletionWire.subject(chamber.toolId(), chamber.chamberId()),
        CompletionWire.headers(contextId),
        CompletionWire.body(chamber.toolId(), chamber.chamberId(), contextId, completedAt));
  }

  private static PublishedEvent settle(JetStream jetStream, InFlight event) throws InterruptedException {
    Exception last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        if (attempt == 0) {
          event.ack().get(TestTimeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS);
        } else {
          jetStream.publish(CompletionWire.subject(event.chamber().toolId(), event.chamber().chamberId()),
              CompletionWire.headers(event.contextId()), CompletionWire.body(event.chamber().toolId(),
                  event.chamber().chamberId(), event.contextId(), event.completedAt()));
        }
        return new PublishedEvent(event.chamber(), event.contextId(), event.completedAt(), event.sentAt(),
            System.currentTimeMillis());
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
    }
    throw new IllegalStateException("could not publish " + event.contextId() + " after " + ATTEMPTS + " attempts", last);
  }
}
