package io.chamberlain.system.live.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class MemoryTrendTest {

  private static final long MIB = 1024 * 1024;
  private static final long MINUTE = 60_000;

  /** A sample every 15 s for {@code minutes}; rss and heap as functions of the sample's index. */
  private static List<MemoryTrend.Sample> life(int minutes, LongUnaryOperator rssMiB, LongUnaryOperator heapMiB) {
    List<MemoryTrend.Sample> samples = new ArrayList<>();
    for (long i = 0; i * 15_000 <= minutes * MINUTE; i++) {
      samples.add(new MemoryTrend.Sample(i * 15_000, rssMiB.applyAsLong(i) * MIB, heapMiB.applyAsLong(i) * MIB));
    }
    return samples;
  }

  @Test
  void aSawtoothHeapAtSteadyRssIsFlat() {
    MemoryTrend.Verdict verdict = MemoryTrend.judge(life(30, i -> i < 10 ? 200 + 10 * i : 300, i -> 40 + (i % 8) * 20),
        10 * MINUTE);
    assertTrue(verdict.judged());
    assertTrue(verdict.flat(), verdict.text());
  }

  @Test
  void aHeapWhoseFloorKeepsRisingGrew() {
    MemoryTrend.Verdict verdict = MemoryTrend.judge(life(30, i -> 300, i -> 40 + i + (i % 8) * 20), 10 * MINUTE);
    assertFalse(verdict.flat(), verdict.text());
  }

  @Test
  void rssThatKeepsRisingGrew() {
    MemoryTrend.Verdict verdict = MemoryTrend.judge(life(30, i -> 200 + 2 * i, i -> 50), 10 * MINUTE);
    assertFalse(verdict.flat(), verdict.text());
  }

  @Test
  void aShortLifeIsNotJudged() {
    MemoryTrend.Verdict verdict = MemoryTrend.judge(life(3, i -> 100 + 50 * i, i -> 50), 10 * MINUTE);
    assertFalse(verdict.judged());
    assertTrue(verdict.text().startsWith("too short"));
  }

  @Test
  void heapInUseSumsTheHeapPoolsOfAnExposition() {
    String exposition = """
        # TYPE jvm_memory_used_bytes gauge
        jvm_memory_used_bytes{area="heap",id="Tenured Gen"} 1.048576E7
        jvm_memory_used_bytes{area="heap",id="Eden Space"} 2097152.0
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
        """;
    assertEquals(12_582_912L, ProcessMemory.heapInUse(exposition));
    assertEquals(-1L, ProcessMemory.heapInUse("process_cpu_usage 0.1\n"));
  }
}
