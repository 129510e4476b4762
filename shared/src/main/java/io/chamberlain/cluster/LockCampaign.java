package io.chamberlain.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Campaigns for a cluster-wide lock (Vert.x shared data on Hazelcast: released when its holder
 * leaves or crashes) in short, repeated tries: each try blocks a worker thread for at most
 * {@code tryFor}, so a long wait never pins the pool. Between tries the campaign asks whether it
 * may try at all ({@code eligible}; else it waits {@code ineligibleWait}) and whether it was called
 * off ({@code stopped}: the campaign fails, and a lock granted meanwhile is released at once).
 *
 * <p>Like every Hazelcast lock it is not split-brain safe; callers fence what they do with it.
 */
public final class LockCampaign {

  private final Vertx vertx;
  private final String name;
  private final Duration tryFor;
  private final BooleanSupplier stopped;
  private final BooleanSupplier eligible;
  private final Duration ineligibleWait;

  public LockCampaign(Vertx vertx, String name, Duration tryFor, BooleanSupplier stopped, BooleanSupplier eligible,
      Duration ineligibleWait) {
    this.vertx = vertx;
    this.name = name;
    this.tryFor = tryFor;
    this.stopped = stopped;
    this.eligible = eligible;
    this.ineligibleWait = ineligibleWait;
  }

  /** Completes with the lock once granted; fails if the campaign is stopped first. */
  public Future<Lock> acquire() {
    Promise<Lock> granted = Promise.promise();
    tryOnce(granted);
    return granted.future();
  }

  private void tryOnce(Promise<Lock> granted) {
    if (stopped.getAsBoolean()) {
      granted.tryFail("campaign for lock " + name + " stopped");
      return;
    }
    if (!eligible.getAsBoolean()) {
      vertx.setTimer(Math.max(1, ineligibleWait.toMillis()), id -> tryOnce(granted));
      return;
    }
    vertx.sharedData().getLockWithTimeout(name, tryFor.toMillis())
        .onSuccess(lock -> {
          if (stopped.getAsBoolean()) {
            lock.release();
            granted.tryFail("campaign for lock " + name + " stopped");
          } else {
            granted.complete(lock);
          }
        })
        .onFailure(notYet -> vertx.setTimer(1, id -> tryOnce(granted)));
  }
}
