package io.chamberlain.worker;

import io.chamberlain.config.IdPoolSettings;
import io.chamberlain.config.NatsSettings;
import io.chamberlain.nats.DefenderIdPool;
import io.chamberlain.nats.NatsConnector;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A defender id claimed from the pool ({@link DefenderIdPool}) for as long as this worker runs:
 * claimed before the node starts (the id is part of its configuration), refreshed on a thread of
 * its own six times per claim lifetime, released after the graceful stop. If a refresh finds the id
 * held by another process, this one must not serve as that defender a moment longer: {@code onLost}
 * runs (the worker halts; its supervisor starts it again with a fresh claim).
 */
final class PooledDefenderId implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(PooledDefenderId.class.getName());
  static final long REFRESH_EVERY_MILLIS = Subjects.DEFENDER_ID_CLAIM_SECONDS * 1000L / 6;

  private final Connection nats;
  private final DefenderIdPool.Held held;
  private final ScheduledExecutorService refresher;

  private PooledDefenderId(Connection nats, DefenderIdPool.Held held, Runnable onLost, long refreshEveryMillis) {
    this.nats = nats;
    this.held = held;
    this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "chamberlain-defender-id");
      thread.setDaemon(true);
      return thread;
    });
    refresher.scheduleWithFixedDelay(() -> refresh(onLost), refreshEveryMillis, refreshEveryMillis, TimeUnit.MILLISECONDS);
  }

  static PooledDefenderId claim(NatsSettings nats, int replicas, IdPoolSettings pool, String holder, Runnable onLost)
      throws Exception {
    return claim(nats, replicas, pool, holder, onLost, REFRESH_EVERY_MILLIS);
  }

  static PooledDefenderId claim(NatsSettings natsSettings, IdPoolSettings pool, String holder, Runnable onLost,
      long refreshEveryMillis) throws Exception {
    return claim(natsSettings, 1, pool, holder, onLost, refreshEveryMillis);
  }

  static PooledDefenderId claim(NatsSettings natsSettings, int replicas, IdPoolSettings pool, String holder,
      Runnable onLost, long refreshEveryMillis) throws Exception {
    Connection nats = NatsConnector.connect(natsSettings, "defender-id-pool-" + holder);
    try {
      return new PooledDefenderId(nats, DefenderIdPool.open(nats, replicas).claim(pool, holder, System.currentTimeMillis()), onLost,
          refreshEveryMillis);
    } catch (Exception | Error e) {
      nats.close();
      throw e;
    }
  }

  String id() {
    return held.id();
  }

  private void refresh(Runnable onLost) {
    try {
      if (!held.refresh()) {
        LOG.log(System.Logger.Level.ERROR, "defender ids: [" + held.id() + "] is held by another process now "
            + "(this one was cut off longer than the claim lives); stopping at once");
        onLost.run();
      }
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "defender ids: could not refresh the claim of [" + held.id() + "] ("
          + e.getMessage() + "); trying again in " + REFRESH_EVERY_MILLIS + " ms");
    }
  }

  /** Releases the id for the next worker (after this one's graceful stop). Once; later calls do nothing. */
  @Override
  public synchronized void close() throws Exception {
    if (refresher.isShutdown()) {
      return;
    }
    refresher.shutdownNow();
    try {
      held.release();
      LOG.log(System.Logger.Level.INFO, "defender ids: released [" + held.id() + "]");
    } finally {
      nats.close();
    }
  }
}
