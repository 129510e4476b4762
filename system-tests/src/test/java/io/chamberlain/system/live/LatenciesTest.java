package io.chamberlain.system.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.domain.ChamberKey;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Latency by the harness's clock: breaches, percentiles, what the tap missed, what was lost. */
class LatenciesTest {

  private static final ChamberKey A = new ChamberKey("lt01", "1");

  @Test
  void breachesAreStrictlyOverFiveSecondsAndPercentilesComeFromTheHistogram() {
    LatencySummary summary = LatencySummary.of(LongStream.rangeClosed(1, 100).toArray());
    assertEquals(100, summary.count());
    assertEquals(50, summary.p50());
    assertEquals(99, summary.p99());
    assertEquals(100, summary.max());
    assertEquals(0, summary.breaches());
    assertEquals(1, LatencySummary.of(5_000, 5_001, 10).breaches(), "5,000 ms is within the SLA, 5,001 is not");
  }

  @Test
  void largeLatenciesKeepAnExactMaxAndAClosePercentile() {
    LatencySummary summary = LatencySummary.of(12_345, 100, 100, 100);
    assertEquals(12_345, summary.max());
    assertEquals(100, summary.p50());
    assertEquals(12_345, summary.p99(), "the histogram's bucket is capped at the exact max");
    assertEquals(LatencySummary.EMPTY, LatencySummary.of());
    assertEquals(0, LatencySummary.of(-3).max(), "clock skew never makes a negative latency");
  }

  @Test
  void theTapsReceiveTimeMinusTheSendIsTheLatencyAndTheStampIsKeptBeside() {
    PublishedEvent tapped = new PublishedEvent(A, "a1", 1_000, 1_010, 1_012);
    PublishedEvent untapped = new PublishedEvent(A, "a2", 2_000, 2_000, 2_003);
    PublishedEvent lost = new PublishedEvent(A, "a3", 3_000, 3_000, 3_001);
    Latencies latencies = Latencies.of(List.of(tapped, untapped, lost), Map.of("a1", 1_250L),
        Map.of("a1", verdict("a1", 1_000, 1_200), "a2", verdict("a2", 2_000, 8_000)));
    assertEquals(2, latencies.events().size(), "a lost event is not timed");
    assertEquals(240, latencies.events().get(0).latencyMillis(), "received 1,250 − sent 1,010");
    assertEquals(200, latencies.events().get(0).stampedMillis(), "defender stamp 1,200 − completed 1,000");
    assertEquals(6_000, latencies.events().get(1).latencyMillis(), "the tap missed it: the stamp stands in");
    assertEquals(1, latencies.untapped());
    assertEquals(1, latencies.summary().breaches());
    assertEquals(0, latencies.summary(Latencies.sentBetween(0, 2_000)).breaches(), "the window ends before a2");
  }

  private static Verdict verdict(String contextId, long completedAt, long publishedAt) {
    return new Verdict(1, A, contextId, "d1", completedAt, publishedAt, -1);
  }
}
