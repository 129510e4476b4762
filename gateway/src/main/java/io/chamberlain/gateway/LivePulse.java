package io.chamberlain.gateway;

import io.chamberlain.lag.LagVerdict;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.AssignmentFeed;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.ClusterStatus;
import io.chamberlain.wire.GatewayStats;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * The cluster's pulse, once a second, on every gateway: publishes this gateway's last second
 * ({@link GatewayActivity#tick}) to the others on {@link Addresses#GATEWAY_STATS}, sums every
 * gateway's into the {@code summary} (events/s, p50/p99 latency, SLA breaches, lag), judges lag by
 * chamber and defender ({@link ClusterLag}), and feeds the live topics ({@link LiveFeed}). Follows
 * the assignment (broadcasts, a whole one on a gap) to know who serves each chamber. Runs on the
 * status API's context.
 */
final class LivePulse {

  /** The key of the lag verdict this gateway adds to each defender's line of the leader's view, and to the summary. */
  static final String LAG_VERDICT = "lagVerdict";
  /** A gateway not heard from for this long is left out of the sums (stopped or cut off). */
  static final long STATS_STALE_MILLIS = 2_500;

  private final Vertx vertx;
  private final String gatewayId;
  private final GatewayActivity activity;
  private final long slaMillis;
  private final Supplier<JsonObject> laneLag;
  private final LiveFeed feed;
  private final ClusterLag lag;
  private final AssignmentFeed assignments = new AssignmentFeed();
  private final LeaderView leaderView;
  private final Map<String, GatewayStats> latest = new HashMap<>();
  private final Map<String, Long> heardAt = new HashMap<>();
  /** Each gateway's breach counter at the previous beat: the difference is the breaches of the second. */
  private final Map<String, Long> breachesBefore = new HashMap<>();
  /** The second's latencies of every gateway, for p50/p99 (3 significant digits); reset every beat. */
  private final Histogram latencies = latencyHistogram();
  private JsonObject summary = new JsonObject();

  LivePulse(Vertx vertx, String gatewayId, GatewayActivity activity, Duration sla, Supplier<JsonObject> laneLag, LiveFeed feed,
      LeaderView leaderView) {
    this.leaderView = leaderView;
    this.vertx = vertx;
    this.gatewayId = gatewayId;
    this.activity = activity;
    this.slaMillis = sla.toMillis();
    this.laneLag = laneLag;
    this.feed = feed;
    this.lag = new ClusterLag(LaneLagVerticle.WINDOW.toMillis(), slaMillis);
  }

  void start() {
    vertx.eventBus().<JsonObject>consumer(Addresses.GATEWAY_STATS, message -> {
      try {
        GatewayStats stats = GatewayStats.fromJson(message.body());
        latest.put(stats.gatewayId(), stats);
        heardAt.put(stats.gatewayId(), System.currentTimeMillis());
      } catch (IllegalArgumentException ignored) {
        // a peer of another version; its numbers are left out
      }
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.ASSIGNMENT, message -> {
      if (assignments.offer(message.body()) == AssignmentFeed.Outcome.GAP) {
        fetchWholeAssignment();
      }
    });
    fetchWholeAssignment();
    vertx.setPeriodic(1_000, id -> beat());
  }

  private void fetchWholeAssignment() {
    vertx.eventBus().<JsonObject>request(Addresses.ASSIGNMENT_CURRENT, new JsonObject(), new DeliveryOptions().setSendTimeout(2_000))
        .onSuccess(reply -> assignments.offer(AssignmentSnapshot.fromJson(reply.body())));
  }

  /** The newest summary (for {@code GET /api/stats}-like callers). */
  JsonObject summary() {
    return summary;
  }

  /** {@code GET /api/lag}: the lanes' view with the verdicts by defender and chamber. */
  JsonObject lagView() {
    return laneLag.get().copy().put("defenders", lag.defenders().copy()).put("chambers", lag.chambers().copy());
  }

  String defenderVerdict(String defenderId) {
    return lag.verdictOf(defenderId);
  }

  AssignmentSnapshot assignment() {
    return assignments.held();
  }

  private void beat() {
    long now = System.currentTimeMillis();
    if (assignments.held().epoch() == 0) {
      fetchWholeAssignment(); // no leader answered yet, and a stable cluster broadcasts nothing
    }
    GatewayStats mine = activity.tick(now);
    vertx.eventBus().publish(Addresses.GATEWAY_STATS, mine.toJson());
    latest.put(gatewayId, mine);
    heardAt.put(gatewayId, now);
    heardAt.entrySet().removeIf(heard -> now - heard.getValue() > STATS_STALE_MILLIS && latest.remove(heard.getKey()) != null);
    List<GatewayStats> seconds = new ArrayList<>(latest.values());
    AssignmentSnapshot held = assignments.held();
    lag.record(now, seconds, chamber -> servedBy(held, chamber));
    summary = summarize(seconds);
    feed.publish("summary", summary);
    feed.publish("lag", lagView());
    seconds.forEach(second -> feed.breaches(second.breaches()));
    latest.replaceAll((id, second) -> withoutBreaches(second));
    if (feed.wanted("cluster")) {
      leaderView.current(900).onSuccess(view -> feed.publish("cluster", withLagVerdicts(view)));
    }
  }

  /** The leader's view as {@code GET /api/cluster} shows it: each defender's line with its lag verdict added. */
  JsonObject withLagVerdicts(ClusterStatus cluster) {
    io.vertx.core.json.JsonArray lines = new io.vertx.core.json.JsonArray();
    cluster.defenders().forEach(defender -> lines.add(defender.toJson().put(LAG_VERDICT, lag.verdictOf(defender.id()))));
    return cluster.toJson().put("defenders", lines);
  }

  /** Breaches are shown once: a peer's second is kept for the sums but its breaches are not sent again. */
  private static GatewayStats withoutBreaches(GatewayStats second) {
    return second.breaches().isEmpty() ? second : new GatewayStats(second.gatewayId(), second.at(), second.events(),
        second.slaBreachesTotal(), second.latencyMillis(), List.of(), second.chambers());
  }

  private static String servedBy(AssignmentSnapshot snapshot, String chamber) {
    try {
      return snapshot.servedBy(io.chamberlain.domain.ChamberKey.parse(chamber));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Sized for latencies up to an hour, and grows past that (a backlog after an outage) instead of
   * failing to record; 3 significant digits: exact below 2,048 ms, within 0.1 % above. With nothing
   * recorded every percentile is 0.
   */
  private static Histogram latencyHistogram() {
    Histogram histogram = new Histogram(TimeUnit.HOURS.toMillis(1), 3);
    histogram.setAutoResize(true);
    return histogram;
  }

  private JsonObject summarize(List<GatewayStats> seconds) {
    latencies.reset();
    long events = 0;
    long breachesTotal = 0;
    long breachesNow = 0;
    for (GatewayStats second : seconds) {
      // a collector's clock ahead of ours makes a latency negative: it counts as 0
      second.latencyMillis().forEach(latency -> latencies.recordValue(Math.max(0, latency)));
      events += second.events();
      breachesTotal += second.slaBreachesTotal();
      Long before = breachesBefore.put(second.gatewayId(), second.slaBreachesTotal());
      breachesNow += before == null ? 0 : Math.max(0, second.slaBreachesTotal() - before);
    }
    breachesBefore.keySet().retainAll(latest.keySet());
    JsonObject lanes = laneLag.get();
    long oldestMillis = lanes.getJsonArray("lanes", new io.vertx.core.json.JsonArray()).stream()
        .mapToLong(lane -> ((JsonObject) lane).getLong("oldestPendingAgeMillis", 0L)).max().orElse(0);
    return new JsonObject().put("eventsPerSecond", (double) events)
        .put("p50Millis", (double) latencies.getValueAtPercentile(50))
        .put("p99Millis", (double) latencies.getValueAtPercentile(99))
        .put("slaMillis", slaMillis).put("slaBreaches", breachesTotal).put("breachesPerSecond", (double) breachesNow)
        .put("pending", lanes.getLong("pending", 0L)).put("oldestPendingSeconds", oldestMillis / 1000.0)
        .put(LAG_VERDICT, lanes.getString("verdict", LagVerdict.OK.name())).put("gateways", seconds.size());
  }
}
