package io.chamberlain.cluster;

import com.hazelcast.core.LifecycleEvent.LifecycleState;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds a Hazelcast split-brain merge. A node on the smaller side of a split resets itself and
 * rejoins the larger side ({@code MERGING} … {@code MERGED}); that takes seconds. Once (live
 * {@code mixed} scenario) a gateway started merging and never finished: it logged nothing more,
 * kept its lanes and answered no request — a node that is neither in the cluster nor out of it.
 * If {@code MERGED} or {@code MERGE_FAILED} has not followed {@code MERGING} within {@link #BOUND},
 * the node writes every thread's stack to its log (what the next investigation needs) and halts
 * with {@link #EXIT_CODE}, so its supervisor (Kubernetes, compose, systemd) starts it clean: crash
 * rather than stay half-joined. The bound is well above a merge's length and below what operators
 * tolerate of a silent node.
 */
public final class MergeWatchdog {

  /** How long a merge may take before the node gives up on it. */
  static final Duration BOUND = Duration.ofSeconds(60);
  /** Exit code of a node halted because its merge did not finish ({@code EX_SOFTWARE}). */
  public static final int EXIT_CODE = 70;
  private static final System.Logger LOG = System.getLogger(MergeWatchdog.class.getName());

  private final Duration bound;
  private final Runnable onStuck;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "chamberlain-merge-watchdog");
    thread.setDaemon(true);
    return thread;
  });
  private ScheduledFuture<?> pending;

  MergeWatchdog(Duration bound, Runnable onStuck) {
    this.bound = bound;
    this.onStuck = onStuck;
  }

  /** The production watchdog: thread dump, then halt with {@link #EXIT_CODE}. */
  static MergeWatchdog halting() {
    return new MergeWatchdog(BOUND, () -> {
      LOG.log(System.Logger.Level.ERROR, "cluster: merge did not finish within " + BOUND.toSeconds()
          + " s; halting (exit " + EXIT_CODE + ") to start clean. Threads:\n" + threadDump());
      Runtime.getRuntime().halt(EXIT_CODE);
    });
  }

  /** Called with every lifecycle state of the node's Hazelcast instance, on Hazelcast's thread. */
  synchronized void observe(LifecycleState state) {
    switch (state) {
      case MERGING -> {
        LOG.log(System.Logger.Level.WARNING, "cluster: merging into the other side of a split; bounded by "
            + bound.toMillis() + " ms");
        cancel();
        pending = timer.schedule(onStuck, bound.toMillis(), TimeUnit.MILLISECONDS);
      }
      case MERGED, MERGE_FAILED, SHUTTING_DOWN -> {
        if (pending != null) {
          LOG.log(System.Logger.Level.INFO, "cluster: merge ended: " + state);
        }
        cancel();
      }
      default -> { }
    }
  }

  synchronized boolean merging() {
    return pending != null && !pending.isDone();
  }

  void close() {
    timer.shutdownNow();
  }

  private void cancel() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }

  static String threadDump() {
    StringBuilder dump = new StringBuilder();
    for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      dump.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
      if (thread.getLockName() != null) {
        dump.append(" on ").append(thread.getLockName());
      }
      if (thread.getLockOwnerName() != null) {
        dump.append(" held by \"").append(thread.getLockOwnerName()).append('"');
      }
      dump.append('\n');
      for (StackTraceElement frame : thread.getStackTrace()) {
        dump.append("    at ").append(frame).append('\n');
      }
    }
    return dump.toString();
  }
}
