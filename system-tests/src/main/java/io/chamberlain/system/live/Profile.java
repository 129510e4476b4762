package io.chamberlain.system.live;

import io.chamberlain.tools.launch.ChamberlainInstall;
import java.util.List;
import java.util.Optional;

/**
 * The one setting that differs between the benchmark ({@code bin/chamberlain scenarios --live}) and
 * the integration tests, chosen by the caller — never scattered flags.
 *
 * <ul>
 *   <li>{@link #BENCHMARK}: nodes run exactly as a user runs them — the launcher's JVM options
 *       ({@code config/jvm.options}, or {@code JAVA_OPTS} if set), the product's default
 *       worker threads, and no timing override at all; the standard load of issue 8 (50 events/s over
 *       300 chambers); the scenario's full size.
 *   <li>{@link #TEST}: the same product timing defaults, but lean JVMs and 2 worker threads (a 2-core
 *       CI machine runs up to 7 of them) and a reduced load (20 events/s over 30 chambers); a scenario
 *       may also shrink its cluster when the invariant it checks stays the same, and its traffic
 *       windows after a change are counted in rounds over the chambers ({@link #testWindowRounds()}),
 *       not in the benchmark's seconds.
 * </ul>
 * In both, the harness sets only what an operator must: ports, cluster name, NATS URL, catalog file,
 * defender ids, HTTP host/port/admin token ({@link NodeEnvironment}).
 */
public enum Profile {
  /** JVM options: the installation's ({@link ChamberlainInstall#jvmOptions}). */
  BENCHMARK(null, Optional.empty(), 300, 50),
  TEST(ClusterOptions.LEAN_JVM, Optional.of(2), 30, 20);

  private final List<String> javaOptions;
  private final Optional<Integer> workerThreads;
  private final int chambers;
  private final double eventsPerSecond;

  Profile(List<String> javaOptions, Optional<Integer> workerThreads, int chambers, double eventsPerSecond) {
    this.javaOptions = javaOptions == null ? null : List.copyOf(javaOptions);
    this.workerThreads = workerThreads;
    this.chambers = chambers;
    this.eventsPerSecond = eventsPerSecond;
  }

  /** JVM options of every gateway and worker. */
  public List<String> javaOptions() {
    return javaOptions != null ? javaOptions : ChamberlainInstall.locate().jvmOptions();
  }

  /** {@code defender.workerThreads} to set, or empty for the product's default. */
  public Optional<Integer> workerThreads() {
    return workerThreads;
  }

  /** Chambers of the standard load (all in the catalog). */
  public int chambers() {
    return chambers;
  }

  /** Rate of the standard load. */
  public double eventsPerSecond() {
    return eventsPerSecond;
  }

  public boolean benchmark() {
    return this == BENCHMARK;
  }

  /**
   * In a test, the traffic window after a change lasts this many rounds of the steady load over its
   * chambers: every chamber gets that many events after the change, so the audit judges each of
   * them there (30 chambers at 20 events/s: 3 s). The benchmark keeps each scenario's window in
   * seconds, as {@code scenarios --live} has always measured.
   */
  public static int testWindowRounds() {
    return 2;
  }
}
