package io.chamberlain.gateway;

import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.ClusterStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * The leader's view of the cluster as this gateway has it, for everything that shows it (the
 * status API, the live feed): the newest view the leader published ({@link
 * Addresses#LEADER_STATUS_BROADCAST}, every second) while it is fresh, else asked of the leader
 * ({@link Addresses#LEADER_STATUS}: a leader just elected, a gateway just started). Published views
 * reach subscribers registered long before, where a request can sit in the cluster's registration
 * retries after a leader's node froze. A deposed leader's late view never replaces its successor's
 * (lower term), and a view older than an assignment this gateway has already received (a broadcast
 * delayed behind it) is not served: the leader is asked. Views are decoded as they arrive ({@link
 * ClusterStatus#fromJson}): one that cannot be read is left out (a broadcast) or a failure (an answer).
 * Used on the event loop that {@link #start()}ed it.
 */
final class LeaderView {

  /** A published view is served for this long; then the leader is asked. */
  static final long FRESH_MILLIS = 2_500;

  private static final System.Logger LOG = System.getLogger(LeaderView.class.getName());

  private final Vertx vertx;
  private ClusterStatus newest;
  private long newestAt;
  /** Why the last unreadable view was left out (logged once). */
  private String lastRefusal;
  /** The newest assignment epoch this gateway has received. */
  private long knownEpoch;

  LeaderView(Vertx vertx) {
    this.vertx = vertx;
  }

  void start() {
    vertx.eventBus().<JsonObject>consumer(Addresses.LEADER_STATUS_BROADCAST, message -> {
      ClusterStatus view;
      try {
        view = ClusterStatus.fromJson(message.body());
      } catch (IllegalArgumentException e) {
        if (!e.getMessage().equals(lastRefusal)) { // once, not every second
          LOG.log(System.Logger.Level.WARNING, "gateway: ignoring a leader's view it cannot read: " + e.getMessage());
          lastRefusal = e.getMessage();
        }
        return;
      }
      if (!fresh() || view.term() >= newest.term()) {
        newest = view;
        newestAt = System.currentTimeMillis();
      }
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.ASSIGNMENT,
        message -> knownEpoch = Math.max(knownEpoch, message.body().getLong("epoch", 0L)));
  }

  /** The view, or a failure if none is fresh and the leader did not answer in time (or its answer could not be read). */
  Future<ClusterStatus> current(long askTimeoutMillis) {
    if (fresh()) {
      return Future.succeededFuture(newest);
    }
    return vertx.eventBus().<JsonObject>request(Addresses.LEADER_STATUS, new JsonObject(),
        new DeliveryOptions().setSendTimeout(askTimeoutMillis)).map(Message::body).map(ClusterStatus::fromJson);
  }

  private boolean fresh() {
    return newest != null && System.currentTimeMillis() - newestAt <= FRESH_MILLIS
        && newest.epoch() >= knownEpoch;
  }
}
