package io.chamberlain.gateway;

import io.chamberlain.lag.LagAssessment;
import io.chamberlain.lag.LagEvaluator;
import io.chamberlain.lag.LagSample;
import io.chamberlain.lag.LagVerdict;
import io.chamberlain.wire.GatewayStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Lag by chamber and by defender, judged like the lanes' ({@link LagEvaluator}: OK / WARN / STALL /
 * STOP over a window), from the gateways' seconds ({@link GatewayStats}): a chamber's backlog is the
 * events held for it, its progress the events finished; a defender's are the sums over the chambers
 * it serves. Chambers are tracked while they have a backlog and one window after; only those with a
 * backlog or a verdict other than OK are listed ({@link #MAX_LISTED}, worst first).
 */
final class ClusterLag {

  static final int MAX_LISTED = 100;

  private record Reading(long held, long oldestCompletedAt) {
  }

  private final long windowMillis;
  private final long slaMillis;
  private final Map<String, LagEvaluator> chamberEvaluators = new HashMap<>();
  private final Map<String, LagEvaluator> defenderEvaluators = new HashMap<>();
  private final Map<String, Long> progress = new HashMap<>();
  private final Map<String, Long> quietSince = new HashMap<>();
  private JsonArray chambers = new JsonArray();
  private JsonArray defenders = new JsonArray();

  ClusterLag(long windowMillis, long slaMillis) {
    this.windowMillis = windowMillis;
    this.slaMillis = slaMillis;
  }

  /**
   * One reading: every gateway's last second, and who serves each chamber now.
   *
   * @param servedBy the defender serving a chamber ({@code tool:chamber}), or null
   */
  void record(long now, List<GatewayStats> seconds, Function<String, String> servedBy) {
    Map<String, Reading> readings = new HashMap<>();
    for (GatewayStats second : seconds) {
      for (GatewayStats.ChamberActivity activity : second.chambers()) {
        progress.merge(activity.chamber(), (long) activity.finished(), Long::sum);
        if (activity.held() > 0) {
          readings.merge(activity.chamber(), new Reading(activity.held(), activity.oldestCompletedAt()),
              (a, b) -> new Reading(a.held() + b.held(), Math.min(a.oldestCompletedAt(), b.oldestCompletedAt())));
        }
      }
    }
    readings.keySet().forEach(chamber -> chamberEvaluators.computeIfAbsent(chamber, c -> new LagEvaluator(windowMillis, slaMillis)));
    Map<String, long[]> byDefender = new TreeMap<>();
    List<JsonObject> chamberLines = new ArrayList<>();
    for (Iterator<Map.Entry<String, LagEvaluator>> it = chamberEvaluators.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, LagEvaluator> tracked = it.next();
      String chamber = tracked.getKey();
      Reading reading = readings.getOrDefault(chamber, new Reading(0, 0));
      long age = reading.held() == 0 ? 0 : Math.max(0, now - reading.oldestCompletedAt());
      LagAssessment assessed = tracked.getValue().record(
          new LagSample(now, progress.getOrDefault(chamber, 0L), 0, reading.held(), age, true));
      String owner = servedBy.apply(chamber);
      if (owner != null) {
        long[] sums = byDefender.computeIfAbsent(owner, d -> new long[2]);
        sums[0] += reading.held();
        sums[1] = Math.max(sums[1], age);
      }
      if (reading.held() > 0 || assessed.verdict() != LagVerdict.OK) {
        quietSince.remove(chamber);
        chamberLines.add(line(assessed).put("chamber", chamber).put("servedBy", owner));
      } else if (now - quietSince.computeIfAbsent(chamber, c -> now) > windowMillis) {
        it.remove(); // quiet for a window: judged OK until it holds events again
        quietSince.remove(chamber);
      }
    }
    chambers = worstFirst(chamberLines);
    Map<String, Long> defenderProgress = new HashMap<>();
    progress.forEach((chamber, finished) -> {
      String owner = servedBy.apply(chamber);
      if (owner != null) {
        defenderProgress.merge(owner, finished, Long::sum);
      }
    });
    defenderProgress.keySet().forEach(d -> byDefender.computeIfAbsent(d, x -> new long[2]));
    List<JsonObject> defenderLines = new ArrayList<>();
    byDefender.forEach((defender, sums) -> {
      LagAssessment assessed = defenderEvaluators.computeIfAbsent(defender, d -> new LagEvaluator(windowMillis, slaMillis))
          .record(new LagSample(now, defenderProgress.getOrDefault(defender, 0L), 0, sums[0], sums[1], true));
      defenderLines.add(line(assessed).put("id", defender));
    });
    defenderEvaluators.keySet().retainAll(byDefender.keySet());
    defenders = new JsonArray(new ArrayList<>(defenderLines));
  }

  JsonArray chambers() {
    return chambers;
  }

  JsonArray defenders() {
    return defenders;
  }

  /** The verdict of a defender, or OK when it has none yet. */
  String verdictOf(String defenderId) {
    for (int i = 0; i < defenders.size(); i++) {
      if (defenderId.equals(defenders.getJsonObject(i).getString("id"))) {
        return defenders.getJsonObject(i).getString("verdict");
      }
    }
    return LagVerdict.OK.name();
  }

  private static JsonObject line(LagAssessment assessed) {
    return new JsonObject().put("verdict", assessed.verdict().name()).put("reason", assessed.reason())
        .put("pending", assessed.pending()).put("oldestPendingAgeMillis", assessed.oldestPendingAgeMillis())
        .put("finishedPerSecond", Math.round(assessed.ackRatePerSecond() * 10) / 10.0)
        .put("estimatedClearMillis", assessed.estimatedClearMillis() < 0 ? null : assessed.estimatedClearMillis())
        .put("trend", assessed.trend().name());
  }

  private static JsonArray worstFirst(List<JsonObject> lines) {
    lines.sort(Comparator.comparing((JsonObject line) -> LagVerdict.valueOf(line.getString("verdict"))).reversed()
        .thenComparing(line -> -line.getLong("oldestPendingAgeMillis")));
    return new JsonArray(new ArrayList<>(lines.subList(0, Math.min(MAX_LISTED, lines.size()))));
  }
}
