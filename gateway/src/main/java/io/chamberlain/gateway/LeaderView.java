package io.chamberlain.gateway;

import io.chamberlain.wire.Addresses;
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
 * delayed behind it) is not served: the leader is asked. Used on the event loop that {@link #start()}ed it.
 */
final class LeaderView {

  /** A published view is served for this long; then the leader is asked. */
  static final long FRESH_MILLIS = 2_500;

  private final Vertx vertx;
  private JsonObject newest;
  private long newestAt;
  /** The newest assignment epoch this gateway has received. */
  private long knownEpoch;

  LeaderView(Vertx vertx) {
    this.vertx = vertx;
  }

  void start() {
    vertx.eventBus().<JsonObject>consumer(Addresses.LEADER_STATUS_BROADCAST, message -> {
      long term = message.body().getLong("term", 0L);
      if (!fresh() || term >= newest.getLong("term", 0L)) {
        newest = message.body();
        newestAt = System.currentTimeMillis();
      }
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.ASSIGNMENT,
        message -> knownEpoch = Math.max(knownEpoch, message.body().getLong("epoch", 0L)));
  }

  /** The view (a copy the caller may change), or a failure if none is fresh and the leader did not answer in time. */
  Future<JsonObject> current(long askTimeoutMillis) {
    if (fresh()) {
      return Future.succeededFuture(newest.copy());
    }
    return vertx.eventBus().<JsonObject>request(Addresses.LEADER_STATUS, new JsonObject(),
        new DeliveryOptions().setSendTimeout(askTimeoutMillis)).map(Message::body);
  }

  private boolean fresh() {
    return newest != null && System.currentTimeMillis() - newestAt <= FRESH_MILLIS
        && newest.getLong("epoch", 0L) >= knownEpoch;
  }
}
