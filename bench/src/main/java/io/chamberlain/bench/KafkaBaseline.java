package io.chamberlain.bench;

import io.chamberlain.domain.ChamberKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Kafka consumer group would do with the same chambers: the default partitioner
 * ({@code murmur2(key) % 64}), partitions spread evenly by count over the consumers
 * (round-robin at first, then cooperative-sticky: survivors keep theirs up to ⌈64/n⌉, orphaned and
 * surplus partitions go to the consumers with the fewest).
 */
final class KafkaBaseline {

  static final int PARTITIONS = 64;

  /** Balance and movement of the baseline for one topology change. */
  record Outcome(double maxOverFair, int idleConsumers, int movedChambers, double movedWeight) {
  }

  private KafkaBaseline() {
  }

  static int partitionOf(ChamberKey chamber) {
    return (murmur2(chamber.toString().getBytes(StandardCharsets.UTF_8)) & 0x7fffffff) % PARTITIONS;
  }

  /** @param before consumers before the change (empty for a cold start) */
  static Outcome evaluate(Map<ChamberKey, Double> weights, List<String> before, List<String> after) {
    double[] partitionWeight = new double[PARTITIONS];
    int[] partitionChambers = new int[PARTITIONS];
    weights.forEach((chamber, weight) -> {
      int p = partitionOf(chamber);
      partitionWeight[p] += weight;
      partitionChambers[p]++;
    });
    String[] initial = roundRobin(before.isEmpty() ? after : before);
    String[] last = before.isEmpty() ? initial : sticky(initial, after);
    Map<String, Double> load = new TreeMap<>();
    after.forEach(consumer -> load.put(consumer, 0.0));
    int moved = 0;
    double movedWeight = 0;
    for (int p = 0; p < PARTITIONS; p++) {
      load.merge(last[p], partitionWeight[p], Double::sum);
      if (!before.isEmpty() && !initial[p].equals(last[p])) {
        moved += partitionChambers[p];
        movedWeight += partitionWeight[p];
      }
    }
    double fair = weights.values().stream().mapToDouble(Double::doubleValue).sum() / after.size();
    double max = load.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    int idle = (int) load.values().stream().filter(l -> l == 0).count();
    return new Outcome(max / fair, idle, moved, movedWeight);
  }

  private static String[] roundRobin(List<String> consumers) {
    List<String> sorted = new ArrayList<>(consumers);
    sorted.sort(Comparator.naturalOrder());
    String[] owner = new String[PARTITIONS];
    for (int p = 0; p < PARTITIONS; p++) {
      owner[p] = sorted.get(p % sorted.size());
    }
    return owner;
  }

  private static String[] sticky(String[] previous, List<String> consumers) {
    int cap = (PARTITIONS + consumers.size() - 1) / consumers.size();
    Map<String, Integer> count = new TreeMap<>();
    consumers.forEach(c -> count.put(c, 0));
    String[] owner = new String[PARTITIONS];
    List<Integer> unowned = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      Integer held = count.get(previous[p]);
      if (held != null && held < cap) {
        owner[p] = previous[p];
        count.put(previous[p], held + 1);
      } else {
        unowned.add(p);
      }
    }
    // Then even out: a consumer above ⌊64/n⌋ hands partitions to one below it.
    for (int p : unowned) {
      String fewest = count.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
      owner[p] = fewest;
      count.merge(fewest, 1, Integer::sum);
    }
    int floor = PARTITIONS / consumers.size();
    for (int p = PARTITIONS - 1; p >= 0; p--) {
      String fewest = count.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
      if (count.get(fewest) < floor && count.get(owner[p]) > floor) {
        count.merge(owner[p], -1, Integer::sum);
        owner[p] = fewest;
        count.merge(fewest, 1, Integer::sum);
      }
    }
    return owner;
  }

  /** Kafka's {@code Utils.murmur2}, as used by its default partitioner (the tail cases fall through on purpose). */
  @SuppressWarnings("fallthrough")
  static int murmur2(byte[] data) {
    int length = data.length;
    final int m = 0x5bd1e995;
    final int r = 24;
    int h = 0x9747b28c ^ length;
    for (int i = 0; i < length / 4; i++) {
      int i4 = i * 4;
      int k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16)
          + ((data[i4 + 3] & 0xff) << 24);
      k *= m;
      k ^= k >>> r;
      k *= m;
      h *= m;
      h ^= k;
    }
    int tail = length & ~3;
    switch (length % 4) {
      case 3:
        h ^= (data[tail + 2] & 0xff) << 16;
        // fall through
      case 2:
        h ^= (data[tail + 1] & 0xff) << 8;
        // fall through
      case 1:
        h ^= data[tail] & 0xff;
        h *= m;
        break;
      default:
        break;
    }
    h ^= h >>> 13;
    h *= m;
    h ^= h >>> 15;
    return h;
  }
}
