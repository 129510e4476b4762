package io.chamberlain.gateway;

import io.chamberlain.domain.ChamberKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What this gateway sees of a defender that stopped running (frozen, hung, host gone) before the
 * leader's heartbeat timeout does: a request to it outstanding far longer than the chamber's own
 * processing time and a tolerated pause explain, while its heartbeat is late here too. Both must
 * hold — a slow chamber on a live defender still heartbeats, and a gateway that was itself paused
 * sees late heartbeats but no request that old on a defender it heard from since. The leader
 * decides: it declares the defender dead only if its own clock agrees
 * ({@code leader.suspectedSilenceMillis}).
 *
 * <p>{@code suspectAfterMillis} must exceed the longest stop-the-world pause to tolerate: during a
 * 1.5 s pause a request can be outstanding 1.5 s plus its processing time, and that must move
 * nothing. A defender is reported at most once per {@code lateHeartbeatMillis}.
 *
 * <p>Pure and single-threaded (the ingestion verticle's event loop); time is passed in.
 */
final class SuspicionDetector {

  /** A request in flight: to whom, for which chamber, since when. */
  record Outstanding(String owner, ChamberKey chamber, long sentAtMillis) {
  }

  /** A defender to report to the leader, with what this gateway saw. */
  record Suspicion(String defenderId, String evidence) {
  }

  private final long suspectAfterMillis;
  private final long lateHeartbeatMillis;
  private final Map<String, Long> lastHeartbeat = new HashMap<>();
  private final Map<ChamberKey, Double> costMillis = new HashMap<>();
  private final Map<String, Long> lastReported = new HashMap<>();

  /**
   * @param suspectAfterMillis how long a request may be outstanding beyond twice its chamber's
   *     measured processing time
   * @param lateHeartbeatMillis how long without a heartbeat here makes a defender's heartbeat late
   */
  SuspicionDetector(long suspectAfterMillis, long lateHeartbeatMillis) {
    if (suspectAfterMillis <= 0 || lateHeartbeatMillis <= 0) {
      throw new IllegalArgumentException("suspicion thresholds must be > 0, were " + suspectAfterMillis + " and "
          + lateHeartbeatMillis + " ms");
    }
    this.suspectAfterMillis = suspectAfterMillis;
    this.lateHeartbeatMillis = lateHeartbeatMillis;
  }

  /** A heartbeat of {@code defender} arrived at {@code atMillis}; {@code costs} (ms per context) may be empty. */
  void heartbeat(String defender, long atMillis, Map<ChamberKey, Double> costs) {
    lastHeartbeat.put(defender, atMillis);
    costMillis.putAll(costs);
  }

  /**
   * Defenders whose heartbeat is late here and who were not reported within the last
   * {@code lateHeartbeatMillis}: the only ones {@link #check} can report. Usually none — then
   * the requests in flight need not be looked at at all.
   */
  Set<String> late(long nowMillis) {
    Set<String> late = new HashSet<>();
    lastHeartbeat.forEach((defender, heard) -> {
      Long reported = lastReported.get(defender);
      if (nowMillis - heard >= lateHeartbeatMillis && (reported == null || nowMillis - reported >= lateHeartbeatMillis)) {
        late.add(defender);
      }
    });
    return late;
  }

  /** The defenders to report now, in id order, given the requests in flight. */
  List<Suspicion> check(long nowMillis, Collection<Outstanding> inFlight) {
    Map<String, Outstanding> worst = new TreeMap<>();
    for (Outstanding request : inFlight) {
      long overdue = overdueMillis(request, nowMillis);
      Outstanding current = worst.get(request.owner());
      if (overdue > 0 && (current == null || overdue > overdueMillis(current, nowMillis))) {
        worst.put(request.owner(), request);
      }
    }
    List<Suspicion> suspicions = new ArrayList<>();
    worst.forEach((owner, request) -> {
      Long heard = lastHeartbeat.get(owner);
      Long reported = lastReported.get(owner);
      if (heard == null || nowMillis - heard < lateHeartbeatMillis
          || (reported != null && nowMillis - reported < lateHeartbeatMillis)) {
        return;
      }
      lastReported.put(owner, nowMillis);
      suspicions.add(new Suspicion(owner, "request for " + request.chamber() + " outstanding "
          + (nowMillis - request.sentAtMillis()) + " ms (its processing ~" + Math.round(cost(request.chamber()))
          + " ms), no heartbeat here for " + (nowMillis - heard) + " ms"));
    });
    return suspicions;
  }

  private long overdueMillis(Outstanding request, long nowMillis) {
    return nowMillis - request.sentAtMillis() - suspectAfterMillis - Math.round(2 * cost(request.chamber()));
  }

  private double cost(ChamberKey chamber) {
    return costMillis.getOrDefault(chamber, 0.0);
  }
}
