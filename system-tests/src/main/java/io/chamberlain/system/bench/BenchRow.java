package io.chamberlain.system.bench;

import io.chamberlain.system.live.PublishedEvent;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One bench run's numbers. Throughput is verdicts per second from the first publish to the last
 * verdict; latency is publish call → verdict received (the harness's clock); lost are events with no
 * verdict when the run gave up waiting; duplicated are contexts whose verdict was published twice.
 */
record BenchRow(String defense, String run, double offered, int events, double throughput, long p50, long p99,
                long p999, long max, long lost, long duplicated, Map<String, ProcessStats.Use> uses) {

  static BenchRow of(String defense, String run, double offered, List<PublishedEvent> published,
                     Map<String, Long> receivedAt, long duplicated, Map<String, ProcessStats.Use> uses) {
    Histogram latencies = new Histogram(3);
    long firstSent = Long.MAX_VALUE;
    long lastVerdict = Long.MIN_VALUE;
    long lost = 0;
    for (PublishedEvent event : published) {
      firstSent = Math.min(firstSent, event.sentAt());
      Long received = receivedAt.get(event.contextId());
      if (received == null) {
        lost++;
        continue;
      }
      lastVerdict = Math.max(lastVerdict, received);
      latencies.recordValue(Math.max(0, received - event.sentAt()));
    }
    long judged = published.size() - lost;
    double seconds = judged == 0 ? 0 : Math.max(1, lastVerdict - firstSent) / 1000.0;
    return new BenchRow(defense, run, offered, published.size(), judged == 0 ? 0 : judged / seconds,
        latencies.getValueAtPercentile(50), latencies.getValueAtPercentile(99), latencies.getValueAtPercentile(99.9),
        latencies.getMaxValue(), lost, duplicated, uses);
  }

  String summary() {
    return String.format("%s, %s: %d events, %.0f/s, p50 %d / p99 %d / p999 %d / max %d ms, lost %d, duplicated %d",
        defense, run, events, throughput, p50, p99, p999, max, lost, duplicated);
  }
}
