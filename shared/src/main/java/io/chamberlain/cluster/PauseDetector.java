package io.chamberlain.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.spi.properties.HazelcastProperties;
import io.chamberlain.config.ClusterSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Halts a node that was paused (SIGSTOP, a suspended VM, a stalled host) for longer than the rest of
 * the cluster waits before dropping a silent member — so that it never rejoins with its stale view.
 *
 * <p>Why: when such a node wakes, it still lists every member it knew, while the others have removed
 * it. Hazelcast's split-brain merge sends the smaller cluster into the larger one — and the stale
 * view is the larger: the healthy cluster merged into the thawed node, the leader's gateway took 53 s
 * to finish (a CI soak), answering "no leader" meanwhile. A node that was gone that long has lost its
 * chambers (fenced by the leader's epoch) and its lanes (their leases expired) anyway; the clean way
 * back is a fresh start. So a daemon thread sleeps {@link #TICK} at a time and, when a sleep ends
 * later than {@link #threshold(Config)} past its due time, logs the pause and halts the JVM with
 * {@link #EXIT_CODE} for its supervisor (Kubernetes, compose, systemd) to start it again. The thread
 * wakes with the rest of the process and halts it within one tick, long before the next merge probe
 * ({@code hazelcast.merge.next.run.delay.seconds}).
 *
 * <p>Started by the node processes' mains only: a test JVM hosts several nodes and must not halt.
 */
public final class PauseDetector {

  /** Exit code of a node halted after a pause the cluster did not wait for (sysexits' {@code EX_OSERR}). */
  public static final int EXIT_CODE = 71;
  /** How often the detector wakes; the pause it can tell from scheduling jitter is many of these. */
  static final Duration TICK = Duration.ofMillis(250);
  private static final System.Logger LOG = System.getLogger(PauseDetector.class.getName());

  private final long thresholdNanos;
  private final long tickNanos;
  private final LongSupplier nanoTime;
  private final LongConsumer onPause;
  private long dueAt;

  PauseDetector(Duration threshold, Duration tick, LongSupplier nanoTime, LongConsumer onPause) {
    this.thresholdNanos = threshold.toNanos();
    this.tickNanos = tick.toNanos();
    this.nanoTime = nanoTime;
    this.onPause = onPause;
    this.dueAt = nanoTime.getAsLong() + tickNanos;
  }

  /**
   * The longest pause the others do not notice: a member is dropped after
   * {@code hazelcast.max.no.heartbeat.seconds} of silence, counted from its last heartbeat, which may
   * have gone out up to one {@code hazelcast.heartbeat.interval.seconds} before the pause began.
   */
  public static Duration threshold(Config hazelcast) {
    HazelcastProperties properties = new HazelcastProperties(hazelcast);
    long maxNoHeartbeat = properties.getMillis(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS);
    long interval = properties.getMillis(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS);
    return Duration.ofMillis(Math.max(TICK.toMillis() * 4, maxNoHeartbeat - interval));
  }

  /**
   * Starts watching this process, a node of the cluster {@code cluster} describes, for pauses longer
   * than {@link #threshold(Config)} of its Hazelcast configuration; on one, halts it with {@link #EXIT_CODE}.
   */
  public static void start(ClusterSettings cluster, String nodeName) {
    Duration threshold = threshold(ClusteredVertx.hazelcastConfig(cluster));
    PauseDetector detector = new PauseDetector(threshold, TICK, System::nanoTime, pausedNanos -> {
      LOG.log(System.Logger.Level.ERROR, nodeName + ": this process was paused for "
          + TimeUnit.NANOSECONDS.toMillis(pausedNanos) + " ms, longer than the cluster waits for a silent member ("
          + threshold.toMillis() + " ms): the others have dropped it. Halting (exit " + EXIT_CODE
          + ") to rejoin clean rather than merge a stale view into the cluster");
      Runtime.getRuntime().halt(EXIT_CODE);
    });
    Thread thread = new Thread(detector::run, "chamberlain-pause-detector");
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
    thread.start();
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        TimeUnit.NANOSECONDS.sleep(Math.max(0, dueAt - nanoTime.getAsLong()));
      } catch (InterruptedException e) {
        return;
      }
      check();
    }
  }

  /**
   * One wake-up: how late it came decides. Returns whether the pause was too long (and
   * {@code onPause} was told how long it was).
   */
  boolean check() {
    long now = nanoTime.getAsLong();
    long late = now - dueAt;
    dueAt = now + tickNanos;
    if (late > thresholdNanos) {
      onPause.accept(late);
      return true;
    }
    return false;
  }
}
