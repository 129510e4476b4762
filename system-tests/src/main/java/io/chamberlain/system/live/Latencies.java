package io.chamberlain.system.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every published event's end-to-end latency by the harness's own clock: when the
 * {@link VerdictTap} received its verdict minus when the publisher sent it ({@link PublishedEvent#sentAt}).
 * The defender-stamped latency ({@code publishedAt − completedAt}) is kept beside it. An event the
 * tap missed (core NATS during an outage) falls back to the stamped verdict time minus its send time
 * and is counted in {@link #untapped()}; an event without any verdict is lost, not timed.
 */
public final class Latencies {

  /** One event and its latency. */
  public record Timed(PublishedEvent event, long latencyMillis, long stampedMillis, boolean tapped) {
  }

  private final List<Timed> events;

  private Latencies(List<Timed> events) {
    this.events = List.copyOf(events);
  }

  /**
   * @param receivedAt per context id, when the tap first received its verdict
   * @param firstVerdicts per context id, its first verdict in the stream (for the stamped latency)
   */
  public static Latencies of(List<PublishedEvent> published, Map<String, Long> receivedAt,
      Map<String, Verdict> firstVerdicts) {
    List<Timed> timed = new ArrayList<>(published.size());
    for (PublishedEvent event : published) {
      Verdict verdict = firstVerdicts.get(event.contextId());
      Long received = receivedAt.get(event.contextId());
      long stamped = verdict == null ? -1 : verdict.latencyMillis();
      if (received != null) {
        timed.add(new Timed(event, received - event.sentAt(), stamped, true));
      } else if (verdict != null) {
        timed.add(new Timed(event, verdict.publishedAt() - event.sentAt(), stamped, false));
      }
    }
    return new Latencies(timed);
  }

  public List<Timed> events() {
    return events;
  }

  public LatencySummary summary() {
    return summary(timed -> true);
  }

  /** The summary of the events {@code which} selects. */
  public LatencySummary summary(Predicate<Timed> which) {
    LatencySummary.Builder builder = new LatencySummary.Builder();
    events.stream().filter(which).mapToLong(Timed::latencyMillis).forEach(builder);
    return builder.build();
  }

  /** The summary of the defender-stamped latencies (completion → verdict stamped). */
  public LatencySummary stampedSummary() {
    LatencySummary.Builder builder = new LatencySummary.Builder();
    events.stream().mapToLong(Timed::stampedMillis).filter(ms -> ms >= 0).forEach(builder);
    return builder.build();
  }

  /** Timed events the tap did not see (latency from the stamped verdict time instead). */
  public long untapped() {
    return events.stream().filter(timed -> !timed.tapped()).count();
  }

  /** Events sent in [{@code from}, {@code to}) (epoch ms). */
  public static Predicate<Timed> sentBetween(long from, long to) {
    return timed -> timed.event().sentAt() >= from && timed.event().sentAt() < to;
  }
}
