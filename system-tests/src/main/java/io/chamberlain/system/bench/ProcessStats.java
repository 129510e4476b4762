package io.chamberlain.system.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CPU time and resident memory of the cluster's processes during one bench run, from
 * {@code /proc/<pid>/stat} (user + system time, in clock ticks of 1/100 s — Linux's USER_HZ) and
 * {@code /proc/<pid>/status} ({@code VmRSS}, sampled every {@link #SAMPLE_MILLIS} for the peak).
 * A process that is gone reads as zero.
 */
final class ProcessStats implements AutoCloseable {

  static final long SAMPLE_MILLIS = 250;
  private static final double TICKS_PER_SECOND = 100;

  /** One process's use during the run: CPU seconds, cores used on average, peak RSS in MiB. */
  record Use(double cpuSeconds, double cores, long peakRssMiB) {
  }

  private final Map<String, Long> pids;
  private final Map<String, Long> ticksAtStart = new LinkedHashMap<>();
  private final Map<String, Long> peakRssKiB = new LinkedHashMap<>();
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "bench-process-sampler"));

  /** Starts measuring the processes named in {@code pids} (name → pid). */
  ProcessStats(Map<String, Long> pids) {
    this.pids = new LinkedHashMap<>(pids);
    this.pids.forEach((name, pid) -> ticksAtStart.put(name, cpuTicks(pid)));
    sampler.scheduleAtFixedRate(this::sampleRss, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Stops measuring; the use of each process since the start. */
  Map<String, Use> finish() {
    close();
    sampleRss();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    Map<String, Use> uses = new LinkedHashMap<>();
    pids.forEach((name, pid) -> {
      double cpu = (cpuTicks(pid) - ticksAtStart.get(name)) / TICKS_PER_SECOND;
      uses.put(name, new Use(cpu, cpu / Math.max(seconds, 1e-3), peakRssKiB.getOrDefault(name, 0L) / 1024));
    });
    return uses;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }

  private synchronized void sampleRss() {
    pids.forEach((name, pid) -> peakRssKiB.merge(name, rssKiB(pid), Math::max));
  }

  static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name (field 2) may hold spaces: count fields after its closing parenthesis
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }

  static long rssKiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException gone) {
      // not running any more
    }
    return 0;
  }
}
