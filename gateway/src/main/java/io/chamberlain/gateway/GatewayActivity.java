package io.chamberlain.gateway;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.wire.GatewayStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What this gateway's ingestion lanes did, for the operator's view: every verdict (latency, SLA
 * breach), the events each lane holds per chamber, and each chamber's recent latencies. The lanes
 * record from their own event loops; {@link #tick} turns the last second into a
 * {@link GatewayStats} and starts the next. Bounded: a fixed latency sample per second, a fixed
 * ring per chamber, breaches listed up to {@link GatewayStats#MAX_BREACHES} a second.
 */
final class GatewayActivity {

  /**
   * Latencies kept per chamber for its p50/p99: a ring of the last 64, sorted when asked. Not an
   * HdrHistogram: a histogram only adds up (it cannot forget the 65th-newest event), and one per
   * chamber would cost tens of KB against this ring's 260 bytes, for thousands of chambers.
   */
  static final int CHAMBER_LATENCIES = 64;

  /** Events of a chamber held by a lane: how many, and the completion time of the oldest. */
  record Held(int events, long oldestCompletedAt) {
  }

  /** A chamber's recent latencies. */
  record ChamberLatency(int samples, long p50Millis, long p99Millis) {
  }

  private final String gatewayId;
  private final Map<Integer, Map<ChamberKey, Held>> heldByLane = new ConcurrentHashMap<>();
  private final Map<ChamberKey, int[]> chamberLatencies = new HashMap<>();
  private final Map<ChamberKey, Integer> finished = new HashMap<>();
  private final long[] latencies = new long[GatewayStats.MAX_LATENCIES];
  private final List<GatewayStats.Breach> breaches = new ArrayList<>();
  private long seen;
  private long breachesTotal;

  GatewayActivity(String gatewayId) {
    this.gatewayId = gatewayId;
  }

  synchronized void verdict(ChamberKey chamber, long latencyMillis, boolean breached, String servedBy, String contextId) {
    // Reservoir sampling: a uniform sample of the second's latencies, however many there were.
    int slot = seen < latencies.length ? (int) seen : (int) ThreadLocalRandom.current().nextLong(seen + 1);
    if (slot < latencies.length) {
      latencies[slot] = latencyMillis;
    }
    seen++;
    int[] ring = chamberLatencies.computeIfAbsent(chamber, c -> new int[CHAMBER_LATENCIES + 1]);
    int next = ring[CHAMBER_LATENCIES];
    ring[next % CHAMBER_LATENCIES] = (int) Math.min(Integer.MAX_VALUE, latencyMillis);
    ring[CHAMBER_LATENCIES] = next + 1 == 2 * CHAMBER_LATENCIES ? CHAMBER_LATENCIES : next + 1;
    finished.merge(chamber, 1, Integer::sum);
    if (breached) {
      breachesTotal++;
      if (breaches.size() < GatewayStats.MAX_BREACHES) {
        breaches.add(new GatewayStats.Breach(chamber.toString(), contextId, latencyMillis, servedBy));
      }
    }
  }

  /** A lane's held events now (an empty map when it stops). */
  void held(int lane, Map<ChamberKey, Held> held) {
    heldByLane.put(lane, Map.copyOf(held));
  }

  /** The chamber's events held here, over every lane (one lane holds a chamber; two briefly, during a hand-over). */
  Held heldOf(ChamberKey chamber) {
    int events = 0;
    long oldest = 0;
    for (Map<ChamberKey, Held> lane : heldByLane.values()) {
      Held held = lane.get(chamber);
      if (held != null) {
        events += held.events();
        oldest = oldest == 0 ? held.oldestCompletedAt() : Math.min(oldest, held.oldestCompletedAt());
      }
    }
    return new Held(events, oldest);
  }

  synchronized ChamberLatency latencyOf(ChamberKey chamber) {
    int[] ring = chamberLatencies.get(chamber);
    if (ring == null) {
      return new ChamberLatency(0, 0, 0);
    }
    int count = Math.min(ring[CHAMBER_LATENCIES], CHAMBER_LATENCIES);
    int[] sorted = Arrays.copyOf(ring, count);
    Arrays.sort(sorted);
    return new ChamberLatency(count, sorted[(count - 1) / 2], sorted[(int) Math.ceil(0.99 * count) - 1]);
  }

  /** The second since the last tick, as published to the other gateways; starts the next. */
  synchronized GatewayStats tick(long now) {
    List<Long> sample = new ArrayList<>();
    for (int i = 0; i < Math.min(seen, latencies.length); i++) {
      sample.add(latencies[i]);
    }
    Map<ChamberKey, GatewayStats.ChamberActivity> activity = new HashMap<>();
    finished.forEach((chamber, count) -> activity.put(chamber, new GatewayStats.ChamberActivity(chamber.toString(), 0, 0, count)));
    for (Map<ChamberKey, Held> lane : heldByLane.values()) {
      lane.forEach((chamber, held) -> {
        GatewayStats.ChamberActivity done = activity.get(chamber);
        activity.put(chamber, new GatewayStats.ChamberActivity(chamber.toString(), held.events(), held.oldestCompletedAt(),
            done == null ? 0 : done.finished()));
      });
    }
    List<GatewayStats.ChamberActivity> chambers = activity.values().stream()
        .sorted(Comparator.comparingLong((GatewayStats.ChamberActivity c) -> c.held() == 0 ? Long.MAX_VALUE : c.oldestCompletedAt()))
        .limit(GatewayStats.MAX_CHAMBERS).toList();
    GatewayStats stats = new GatewayStats(gatewayId, now, seen, breachesTotal, sample, breaches, chambers);
    seen = 0;
    breaches.clear();
    finished.clear();
    return stats;
  }
}
