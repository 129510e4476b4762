package io.chamberlain.system.live;

import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Listens to every verdict <em>publish</em> with a plain NATS subscription on
 * {@code defense.*.*.result}, beside the verdict stream. The stream drops a second publish of the
 * same context ({@code Nats-Msg-Id} dedupe), so it cannot tell "judged once" from "judged twice";
 * the tap can: {@link #republished()} counts contexts whose verdict was published more than once —
 * at-least-once processing showing through (a defender died between publishing and saving its
 * state, or a fence let a deposed owner finish). Core NATS is at-most-once, so the tap may miss a
 * publish during a NATS outage; it never invents one.
 */
public final class VerdictTap implements AutoCloseable {

  private final Connection connection;
  private final Map<String, Integer> publishes = new HashMap<>();

  private VerdictTap(Connection connection) {
    this.connection = connection;
  }

  public static VerdictTap start(String natsUrl) {
    try {
      Connection connection = Nats.connect(new io.nats.client.Options.Builder().server(natsUrl)
          .connectionName("verdict-tap").maxReconnects(-1).build());
      VerdictTap tap = new VerdictTap(connection);
      Dispatcher dispatcher = connection.createDispatcher(message -> tap.seen(message.getData()));
      dispatcher.subscribe(Subjects.VERDICT_ALL);
      connection.flush(java.time.Duration.ofSeconds(5));
      return tap;
    } catch (Exception e) {
      throw new IllegalStateException("verdict tap could not subscribe at " + natsUrl + ": " + e, e);
    }
  }

  /** Contexts whose verdict was published more than once so far. */
  public synchronized long republished() {
    return publishes.values().stream().filter(count -> count > 1).count();
  }

  /** Verdict publishes seen so far. */
  public synchronized long publishes() {
    return publishes.values().stream().mapToLong(Integer::longValue).sum();
  }

  private synchronized void seen(byte[] data) {
    try {
      String context = new JsonObject(Buffer.buffer(data)).getString("contextId");
      if (context != null) {
        publishes.merge(context, 1, Integer::sum);
      }
    } catch (DecodeException notAVerdict) {
      // the audit reports malformed stream content; the tap only counts
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
