package io.chamberlain.tools.collector;

import io.chamberlain.nats.StorageLimitException;
import io.nats.client.JetStreamApiException;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the collector could not hand over: each publish JetStream did not acknowledge (a full stream
 * or server, an error, no answer) is counted by reason and printed — a collector that sends and
 * forgets would lose those events without a word. The first refusals of each reason are printed
 * one by one, then every {@link #PRINT_EVERY}th, and {@link #summary} says how many there were.
 */
final class RefusedPublishes {

  /** After this many lines of one reason, only every {@code PRINT_EVERY}th refusal is printed. */
  static final int PRINT_EVERY = 1_000;
  private static final int PRINT_FIRST = 10;

  private final PrintStream out;
  private final AtomicLong accepted = new AtomicLong();
  private final Map<String, Long> refused = new TreeMap<>();

  RefusedPublishes(PrintStream out) {
    this.out = out;
  }

  void accepted() {
    accepted.incrementAndGet();
  }

  /** {@code what} (e.g. "event [ctx]") was not stored because of {@code failure}. */
  void refused(String what, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    String reason = reasonOf(cause);
    long count;
    synchronized (refused) {
      count = refused.merge(reason, 1L, Long::sum);
    }
    if (count <= PRINT_FIRST || count % PRINT_EVERY == 0) {
      out.println("collector: " + what + " refused (" + reason + ", " + count + " so far): " + cause.getMessage());
    }
  }

  /** A storage limit's reason tag, {@code error-<code>} for another JetStream error, else the failure's kind. */
  static String reasonOf(Throwable failure) {
    String limit = StorageLimitException.reasonOf(failure);
    if (limit != null) {
      return limit;
    }
    if (failure instanceof JetStreamApiException api) {
      return "error-" + api.getApiErrorCode();
    }
    return failure instanceof java.util.concurrent.TimeoutException || failure instanceof java.io.IOException
        ? "no-ack" : failure.getClass().getSimpleName();
  }

  long acceptedCount() {
    return accepted.get();
  }

  long refusedCount() {
    synchronized (refused) {
      return refused.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  Map<String, Long> refusedByReason() {
    synchronized (refused) {
      return Map.copyOf(refused);
    }
  }

  String summary() {
    long refusedCount = refusedCount();
    return "collector: " + acceptedCount() + " event(s) stored by JetStream, " + refusedCount + " refused"
        + (refusedCount == 0 ? "" : " " + refusedByReason());
  }
}
