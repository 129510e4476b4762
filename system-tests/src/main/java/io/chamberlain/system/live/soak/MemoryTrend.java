package io.chamberlain.system.live.soak;

import java.util.List;
import java.util.OptionalLong;

/**
 * Whether one process's memory stayed flat over its life, from samples taken at a fixed interval.
 * The first third is warm-up (heaps and code caches grow to their working size) and is not judged;
 * the last third is compared with the middle one: RSS may not grow by more than
 * {@value #RSS_GROWTH} plus {@value #RSS_SLACK_MIB} MiB at its peak, and the heap's floor — its lowest
 * use, what is left after collections — not by more than {@value #HEAP_GROWTH} plus
 * {@value #HEAP_SLACK_MIB} MiB. A leak grows both without bound; a sawtooth heap does neither.
 * A life shorter than {@code minimumSpanMillis} (a process the soak restarted) is too short to judge.
 */
public final class MemoryTrend {

  static final double RSS_GROWTH = 0.10;
  static final long RSS_SLACK_MIB = 16;
  static final double HEAP_GROWTH = 0.25;
  static final long HEAP_SLACK_MIB = 16;
  private static final long MIB = 1024 * 1024;

  /** One sample; {@code heapBytes} is -1 when the process has no heap to read (nats-server) or did not answer. */
  public record Sample(long atMillis, long rssBytes, long heapBytes) {
  }

  /** The judgment and the numbers it rests on (MiB). */
  public record Verdict(boolean judged, boolean flat, long rssMiddleMiB, long rssLastMiB, long heapFloorMiddleMiB,
      long heapFloorLastMiB, long rssMaxMiB) {

    public String text() {
      if (!judged) {
        return "too short to judge (peak RSS " + rssMaxMiB + " MiB)";
      }
      return (flat ? "flat" : "GREW") + ": RSS peak " + rssMiddleMiB + " → " + rssLastMiB + " MiB, heap floor "
          + (heapFloorMiddleMiB < 0 ? "n/a" : heapFloorMiddleMiB + " → " + heapFloorLastMiB + " MiB");
    }
  }

  private MemoryTrend() {
  }

  public static Verdict judge(List<Sample> samples, long minimumSpanMillis) {
    long rssMax = samples.stream().mapToLong(Sample::rssBytes).max().orElse(0) / MIB;
    if (samples.size() < 6 || span(samples) < minimumSpanMillis) {
      return new Verdict(false, true, -1, -1, -1, -1, rssMax);
    }
    long start = samples.get(0).atMillis();
    long third = span(samples) / 3;
    List<Sample> middle = samples.stream().filter(s -> s.atMillis() >= start + third && s.atMillis() < start + 2 * third)
        .toList();
    List<Sample> last = samples.stream().filter(s -> s.atMillis() >= start + 2 * third).toList();
    long rssMiddle = middle.stream().mapToLong(Sample::rssBytes).max().orElse(0);
    long rssLast = last.stream().mapToLong(Sample::rssBytes).max().orElse(0);
    OptionalLong heapMiddle = middle.stream().mapToLong(Sample::heapBytes).filter(h -> h >= 0).min();
    OptionalLong heapLast = last.stream().mapToLong(Sample::heapBytes).filter(h -> h >= 0).min();
    boolean rssFlat = rssLast <= rssMiddle * (1 + RSS_GROWTH) + RSS_SLACK_MIB * MIB;
    boolean heapFlat = heapMiddle.isEmpty() || heapLast.isEmpty()
        || heapLast.getAsLong() <= heapMiddle.getAsLong() * (1 + HEAP_GROWTH) + HEAP_SLACK_MIB * MIB;
    return new Verdict(true, rssFlat && heapFlat, rssMiddle / MIB, rssLast / MIB,
        heapMiddle.isPresent() ? heapMiddle.getAsLong() / MIB : -1, heapLast.isPresent() ? heapLast.getAsLong() / MIB : -1,
        rssMax);
  }

  private static long span(List<Sample> samples) {
    return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).atMillis() - samples.get(0).atMillis();
  }
}
