package io.chamberlain.system.live;

import io.chamberlain.config.NatsSettings;
import io.chamberlain.nats.NatsOptions;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Listens to every verdict <em>publish</em> with a plain NATS subscription on
 * {@code defense.*.*.result}, beside the verdict stream, and is the harness's own clock for
 * latency: {@link #receivedAt()} is when this subscriber first received each context's verdict
 * (epoch ms on the harness's machine), independent of what the defender stamped.
 *
 * <p>The stream drops a second publish of the same context ({@code Nats-Msg-Id} dedupe), so it cannot
 * tell "judged once" from "judged twice"; the tap can: {@link #republished()} counts contexts whose
 * verdict was published more than once — at-least-once processing showing through. It also keeps
 * which defender judged each chamber last, so a scenario can wait for "serving the assignment"
 * without reading the stream. Core NATS is at-most-once, so the tap may miss a publish during a NATS
 * outage; it never invents one.
 */
public final class VerdictTap implements AutoCloseable {

  /** The latest verdict of one chamber as the tap saw it. */
  public record Seen(String defender, long receivedAt) {
  }

  private final Connection connection;
  private final Map<String, Integer> publishes = new HashMap<>();
  private final Map<String, Long> firstReceivedAt = new HashMap<>();
  private final Map<ChamberKey, Seen> lastByChamber = new TreeMap<>();

  private VerdictTap(Connection connection) {
    this.connection = connection;
  }

  public static VerdictTap start(String natsUrl) {
    return start(NatsSettings.plain(natsUrl));
  }

  /** Subscribes as the cluster's nodes connect (credentials, TLS). */
  public static VerdictTap start(NatsSettings nats) {
    String natsUrl = nats.url();
    try {
      Connection connection = Nats.connect(NatsOptions.builder(nats, "verdict-tap").maxReconnects(-1).build());
      VerdictTap tap = new VerdictTap(connection);
      Dispatcher dispatcher = connection.createDispatcher(message -> tap.seen(message.getData(),
          System.currentTimeMillis()));
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

  /** Per context id, when this subscriber first received its verdict (epoch ms). */
  public synchronized Map<String, Long> receivedAt() {
    return Map.copyOf(firstReceivedAt);
  }

  /**
   * How many of {@code contextIds} have no verdict yet — without copying what was received, so a
   * wait loop polling it does not take CPU from the cluster it measures.
   */
  public synchronized long missing(Collection<String> contextIds) {
    return contextIds.stream().filter(context -> !firstReceivedAt.containsKey(context)).count();
  }

  /** Per chamber, the defender of the latest verdict seen. */
  public synchronized Map<ChamberKey, String> lastDefenderByChamber() {
    Map<ChamberKey, String> last = new TreeMap<>();
    lastByChamber.forEach((chamber, seen) -> last.put(chamber, seen.defender()));
    return last;
  }

  /** When {@code defender}'s latest verdict (of any chamber) was received, if ever. */
  public synchronized Optional<Long> lastVerdictOf(String defender) {
    return lastByChamber.values().stream().filter(seen -> seen.defender().equals(defender))
        .map(Seen::receivedAt).max(Long::compare);
  }

  private synchronized void seen(byte[] data, long receivedAt) {
    try {
      JsonObject verdict = new JsonObject(Buffer.buffer(data));
      String context = verdict.getString("contextId");
      if (context != null) {
        publishes.merge(context, 1, Integer::sum);
        firstReceivedAt.putIfAbsent(context, receivedAt);
      }
      String defender = verdict.getString("defender");
      if (defender != null) {
        lastByChamber.put(new ChamberKey(verdict.getString("toolId"), verdict.getString("chamberId")),
            new Seen(defender, receivedAt));
      }
    } catch (DecodeException | IllegalArgumentException | NullPointerException | ClassCastException notAVerdict) {
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
