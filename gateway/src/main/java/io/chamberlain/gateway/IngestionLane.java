package io.chamberlain.gateway;

import io.chamberlain.cluster.LockCampaign;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Exactly one gateway of a cluster ingests; any other stands by. Per-chamber order is kept by the
 * active gateway's lane (one event in flight per chamber), so two gateways pulling the same durable
 * consumer at once would hand one chamber's events to two lanes. The active one holds the
 * cluster-wide lock {@value #LOCK_NAME} ({@link LockCampaign}); standbys keep trying for it and
 * start pulling the moment they get it. After a crash of the active gateway, JetStream redelivers what it held once
 * {@code ingest.ackWaitSeconds} pass; a graceful stop hands it back at once (the ingestion naks).
 *
 * <p>Like every Hazelcast lock it is not split-brain safe: a gateway frozen past the member timeout
 * still believes it holds the lane when it wakes, until its cluster merges back. Exactly-once verdicts
 * are still fenced downstream (chamber state compare-and-set, {@code Nats-Msg-Id}); order across such
 * a split is not.
 */
final class IngestionLane {

  static final String LOCK_NAME = "chamberlain.ingest";
  private static final System.Logger LOG = System.getLogger(IngestionLane.class.getName());
  private static final Duration LOCK_TRY = Duration.ofMillis(1_000);

  private final Vertx vertx;
  private final AtomicBoolean active;
  private Lock lock;
  private boolean stopped;

  /** @param active set while this gateway holds the lane (shown by the status API) */
  IngestionLane(Vertx vertx, AtomicBoolean active) {
    this.vertx = vertx;
    this.active = active;
  }

  /** Completes once this gateway holds the lane (possibly never, while another one does). */
  Future<Void> acquire() {
    return new LockCampaign(vertx, LOCK_NAME, LOCK_TRY, () -> stopped, () -> true, Duration.ZERO).acquire()
        .map(granted -> {
          lock = granted;
          active.set(true);
          LOG.log(System.Logger.Level.INFO, "ingest: this gateway holds the lane and ingests");
          return null;
        });
  }

  /** Stops campaigning, and lets the next gateway take over if this one held the lane. */
  void release() {
    stopped = true;
    active.set(false);
    if (lock != null) {
      lock.release();
      lock = null;
    }
  }
}
