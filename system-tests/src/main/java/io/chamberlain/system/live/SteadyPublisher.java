package io.chamberlain.system.live;

import io.chamberlain.config.NatsSettings;
import io.chamberlain.nats.NatsOptions;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.testkit.TestTimeouts;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An independent data collector at a fixed rate: round-robin over the given chambers, one
 * completion event per tick, written by {@link CompletionWire} and published with plain jnats
 * ({@code Nats-Msg-Id = contextId}), recorded once JetStream acked it. Context ids are unique per
 * run and ordered per chamber ({@code {run}-{tool}-{chamber}-{000042}}). A publish that fails (NATS
 * restarting) is retried with the same id and body on the next tick before anything newer, so
 * per-chamber order and dedupe hold; its {@code sentAt} is the attempt that succeeded.
 * One thread publishes; {@link #published()} may be read at any time.
 */
public final class SteadyPublisher implements AutoCloseable {

  private final List<ChamberKey> chambers;
  private final String runTag = RunTags.next();
  private final Connection connection;
  private final JetStream jetStream;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "steady-publisher"));
  private final List<PublishedEvent> published = new ArrayList<>();
  private final Map<ChamberKey, Integer> nextSequence = new LinkedHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private long ticks;
  private Pending pending;

  /** An event created but not yet acked. */
  private record Pending(ChamberKey chamber, String contextId, long completedAt) {
  }

  private SteadyPublisher(List<ChamberKey> chambers, Connection connection) throws Exception {
    this.chambers = List.copyOf(chambers);
    this.connection = connection;
    this.jetStream = connection.jetStream();
  }

  /** Connects to {@code natsUrl} and starts publishing {@code eventsPerSecond} over {@code chambers}. */
  public static SteadyPublisher start(String natsUrl, List<ChamberKey> chambers, double eventsPerSecond) {
    return start(NatsSettings.plain(natsUrl), chambers, eventsPerSecond);
  }

  /** As {@link #start(String, List, double)}, connecting as the cluster's nodes do (credentials, TLS). */
  public static SteadyPublisher start(NatsSettings nats, List<ChamberKey> chambers, double eventsPerSecond) {
    String natsUrl = nats.url();
    if (chambers.isEmpty() || eventsPerSecond <= 0) {
      throw new IllegalArgumentException("need chambers and a positive rate, got " + chambers.size()
          + " chambers at " + eventsPerSecond + "/s");
    }
    try {
      Connection connection = Nats.connect(NatsOptions.builder(nats, "steady-publisher")
          .maxReconnects(-1).reconnectWait(Duration.ofMillis(250)).build());
      SteadyPublisher publisher = new SteadyPublisher(chambers, connection);
      long periodMicros = (long) (1_000_000 / eventsPerSecond);
      publisher.ticker.scheduleAtFixedRate(publisher::tick, 0, periodMicros, TimeUnit.MICROSECONDS);
      return publisher;
    } catch (Exception e) {
      throw new IllegalStateException("steady publisher could not connect to " + natsUrl, e);
    }
  }

  /** Stops publishing (waits for a publish in progress) and closes the connection. */
  public void stop() {
    ticker.shutdown();
    try {
      if (!ticker.awaitTermination(TestTimeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
        ticker.shutdownNow();
      }
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Every acked event, in publish order. */
  public synchronized List<PublishedEvent> published() {
    return List.copyOf(published);
  }

  public synchronized int count() {
    return published.size();
  }

  /** Publishes that failed and were retried (e.g. while NATS was down). */
  public long failures() {
    return failures.get();
  }

  private void tick() {
    if (pending == null) {
      pending = nextEvent();
    }
    ChamberKey chamber = pending.chamber();
    long sentAt = System.currentTimeMillis();
    try {
      jetStream.publish(CompletionWire.subject(chamber.toolId(), chamber.chamberId()),
          CompletionWire.headers(pending.contextId()),
          CompletionWire.body(chamber.toolId(), chamber.chamberId(), pending.contextId(), pending.completedAt()));
      synchronized (this) {
        published.add(new PublishedEvent(chamber, pending.contextId(), pending.completedAt(), sentAt,
            System.currentTimeMillis()));
      }
      pending = null;
    } catch (Exception e) {
      failures.incrementAndGet(); // kept pending: retried first on the next tick, same id
    }
  }

  private Pending nextEvent() {
    ChamberKey chamber = chambers.get((int) (ticks++ % chambers.size()));
    int sequence = nextSequence.merge(chamber, 1, Integer::sum);
    return new Pending(chamber, RunTags.contextId(runTag, chamber, sequence), System.currentTimeMillis());
  }
}
