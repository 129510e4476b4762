package io.chamberlain.worker.runtime;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Where a defender's per-event blocking work runs: each event on a virtual thread of its own, so its
 * NATS round trips (the state read, the verdict publish, the state write) park it instead of holding
 * one of a few platform threads — with four platform threads a worker kept at most four chambers'
 * round trips in flight, and at 1,000 events/s its queue grew to seconds. What costs memory and CPU
 * is bounded apart: at most {@code judgingSlots} events at once hold a trace in memory and run a
 * defense ({@link #judging}), whatever the number waiting on the network.
 *
 * <p>Order per chamber is the caller's: a chamber verticle starts its next event's work only when the
 * previous one is done. Results come back on the caller's Vert.x context.
 */
public final class DefenseWork implements AutoCloseable {

  private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("chamberlain-defense-", 0).factory());
  private final Semaphore judging;

  /** @param judgingSlots how many events may judge at once ({@code defender.workerThreads}) */
  public DefenseWork(int judgingSlots) {
    if (judgingSlots < 1) {
      throw new IllegalArgumentException("judging slots must be ≥ 1, were " + judgingSlots);
    }
    this.judging = new Semaphore(judgingSlots, true);
  }

  /** Runs {@code task} on a virtual thread; its result or failure completes the future on {@code context}. */
  public <T> Future<T> submit(Context context, Callable<T> task) {
    Promise<T> result = Promise.promise();
    threads.execute(() -> {
      try {
        T value = task.call();
        context.runOnContext(v -> result.complete(value));
      } catch (Throwable failure) {
        context.runOnContext(v -> result.fail(failure));
      }
    });
    return result.future();
  }

  /** Runs {@code step} holding one of the judging slots: waits for one if all are taken. */
  public <T> T judging(Callable<T> step) throws Exception {
    judging.acquire();
    try {
      return step.call();
    } finally {
      judging.release();
    }
  }

  /** Takes no new work; what runs finishes on its own (bounded by the chambers' handoff timeout). */
  @Override
  public void close() {
    threads.shutdown();
  }
}
