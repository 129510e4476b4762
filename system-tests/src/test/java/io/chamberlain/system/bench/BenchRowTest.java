package io.chamberlain.system.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.PublishedEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BenchRowTest {

  private static final ChamberKey CHAMBER = new ChamberKey("bn0001", "1");

  @Test
  void throughputRunsFromTheFirstPublishToTheLastVerdictAndMissingVerdictsAreLost() {
    // 100 events sent 10 ms apart from t = 1,000; each judged 20 ms later; the last one never
    List<PublishedEvent> published = IntStream.range(0, 100)
        .mapToObj(i -> new PublishedEvent(CHAMBER, "c" + i, 1_000 + 10L * i, 1_000 + 10L * i, 1_001 + 10L * i))
        .toList();
    Map<String, Long> received = new HashMap<>();
    published.subList(0, 99).forEach(event -> received.put(event.contextId(), event.sentAt() + 20));

    BenchRow row = BenchRow.of("noop", "100/s", 100, published, received, 0, Map.of());

    assertEquals(1, row.lost());
    assertEquals(100, row.events());
    // 99 verdicts between t = 1,000 and the last verdict at 1,000 + 980 + 20
    assertEquals(99 / 1.0, row.throughput(), 0.01);
    assertEquals(20, row.p50());
    assertEquals(20, row.max());
  }

  @Test
  void readsCpuAndResidentMemoryOfARunningProcess() {
    long self = ProcessHandle.current().pid();
    assertTrue(ProcessStats.cpuTicks(self) > 0, "this JVM has used CPU");
    assertTrue(ProcessStats.rssKiB(self) > 1024, "this JVM holds more than 1 MiB");
    assertEquals(0, ProcessStats.rssKiB(Long.MAX_VALUE), "a process that is gone reads as zero");
    try (ProcessStats stats = new ProcessStats(Map.of("self", self))) {
      long sum = 0;
      for (int i = 0; i < 5_000_000; i++) {
        sum += Long.hashCode(i * 31L);
      }
      ProcessStats.Use use = stats.finish().get("self");
      assertTrue(use.peakRssMiB() > 1 && use.cpuSeconds() >= 0 && sum != 1, use.toString());
    }
  }
}
