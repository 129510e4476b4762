package io.chamberlain.gateway;

import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.wire.HistoryEntry;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.MessageConsumer;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The leader's history as this gateway sees it: an ordered consumer of the history stream, from
 * the newest {@link #RECENT} entries on, then live. Keeps those {@link #RECENT} in memory for
 * {@code GET /api/history} and hands each new one to the live feed. The stream keeps more
 * ({@link Subjects#HISTORY_LIMIT}); the NATS CLI reads all of it. Thread-safe: entries arrive on a
 * NATS thread, queries come from the status API.
 */
final class HistoryFeed {

  private static final System.Logger LOG = System.getLogger(HistoryFeed.class.getName());
  /** Entries kept in memory (and the most {@code GET /api/history} returns). */
  static final int RECENT = 1_000;

  private final Deque<HistoryEntry> recent = new ArrayDeque<>();
  private final Consumer<HistoryEntry> onEntry;
  private MessageConsumer consumer;

  /** @param onEntry told of every entry as it arrives (on a NATS thread) */
  HistoryFeed(Consumer<HistoryEntry> onEntry) {
    this.onEntry = onEntry;
  }

  /** Blocking: creates the stream if needed and starts reading. */
  void start(Connection nats, int replicas) throws Exception {
    JetStreamSetup.ensureHistory(nats, replicas);
    var stream = nats.getStreamContext(Subjects.HISTORY_STREAM);
    long last = stream.getStreamInfo().getStreamState().getLastSequence();
    OrderedConsumerConfiguration from = last < RECENT
        ? new OrderedConsumerConfiguration().deliverPolicy(DeliverPolicy.All)
        : new OrderedConsumerConfiguration().deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(last - RECENT + 1);
    consumer = stream.createOrderedConsumer(from).consume(message -> {
      HistoryEntry entry;
      try {
        entry = HistoryEntry.fromJson(new JsonObject(Buffer.buffer(message.getData())))
            .withSeq(message.metaData().streamSequence());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "history: skipping an unreadable entry: " + e.getMessage());
        return;
      }
      add(entry);
      onEntry.accept(entry);
    });
  }

  void stop() {
    if (consumer != null) {
      try {
        consumer.stop();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "history: stopping the consumer: " + e);
      }
    }
  }

  private synchronized void add(HistoryEntry entry) {
    recent.addLast(entry);
    if (recent.size() > RECENT) {
      recent.removeFirst();
    }
  }

  /** The newest {@code limit} entries matching {@code filter}, oldest first. */
  synchronized List<HistoryEntry> newest(int limit, Predicate<HistoryEntry> filter) {
    List<HistoryEntry> matching = new ArrayList<>();
    var newestFirst = recent.descendingIterator();
    while (newestFirst.hasNext() && matching.size() < limit) {
      HistoryEntry entry = newestFirst.next();
      if (filter.test(entry)) {
        matching.add(0, entry);
      }
    }
    return matching;
  }

  /** How many of the entries held list a move of {@code chamber}. */
  synchronized int movesOf(String chamber) {
    return (int) recent.stream().filter(entry -> entry.movesChamber(chamber)).count();
  }
}
