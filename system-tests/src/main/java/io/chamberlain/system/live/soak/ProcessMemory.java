package io.chamberlain.system.live.soak;

import io.chamberlain.tools.launch.NodeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Samples every live process of a cluster at a fixed interval, from outside as an operator would:
 * resident memory from {@code /proc/PID/status} ({@code VmRSS}) and, for nodes, heap in use from
 * their Prometheus endpoint ({@code jvm_memory_used_bytes{area="heap"}}, summed over the pools).
 * Samples are kept per process life (name and pid): a restarted node starts a new life.
 */
public final class ProcessMemory implements AutoCloseable {

  /** One process life: the node's name and the pid it ran under. */
  public record Life(String name, long pid) {
    public String text() {
      return name + " (pid " + pid + ")";
    }
  }

  private static final String HEAP_METRIC = "jvm_memory_used_bytes{area=\"heap\"";
  private final Supplier<List<NodeProcess>> processes;
  private final Function<NodeProcess, Optional<URI>> metricsOf;
  private final Map<Life, List<MemoryTrend.Sample>> samples = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "soak-memory");
    thread.setDaemon(true);
    return thread;
  });

  private ProcessMemory(Supplier<List<NodeProcess>> processes, Function<NodeProcess, Optional<URI>> metricsOf) {
    this.processes = processes;
    this.metricsOf = metricsOf;
  }

  /** Starts sampling every {@code interval}; {@code metricsOf} gives a node's /metrics address (empty: RSS only). */
  public static ProcessMemory start(Supplier<List<NodeProcess>> processes, Function<NodeProcess, Optional<URI>> metricsOf,
      Duration interval) {
    ProcessMemory memory = new ProcessMemory(processes, metricsOf);
    memory.sampler.scheduleWithFixedDelay(memory::sampleAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return memory;
  }

  private void sampleAll() {
    for (NodeProcess process : processes.get()) {
      try {
        if (!process.isAlive() || process.isFrozen()) {
          continue; // a frozen process answers nothing; its memory does not change while stopped
        }
        long pid = process.pid();
        Optional<Long> rss = residentBytes(pid);
        if (rss.isEmpty()) {
          continue;
        }
        long heap = metricsOf.apply(process).map(this::heapBytes).orElse(-1L);
        synchronized (samples) {
          samples.computeIfAbsent(new Life(process.name(), pid), life -> new ArrayList<>())
              .add(new MemoryTrend.Sample(System.currentTimeMillis(), rss.get(), heap));
        }
      } catch (RuntimeException oneProcess) {
        // a process that went away between the checks: its next life is sampled next time
      }
    }
  }

  /** Every life sampled so far, with its samples in time order. */
  public Map<Life, List<MemoryTrend.Sample>> samples() {
    synchronized (samples) {
      Map<Life, List<MemoryTrend.Sample>> copy = new LinkedHashMap<>();
      samples.forEach((life, list) -> copy.put(life, List.copyOf(list)));
      return copy;
    }
  }

  static Optional<Long> residentBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
        }
      }
      return Optional.empty();
    } catch (IOException | RuntimeException gone) {
      return Optional.empty();
    }
  }

  private long heapBytes(URI metrics) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? heapInUse(response.body()) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Sum of the heap pools' use in a Prometheus text exposition; -1 when there is none. */
  static long heapInUse(String exposition) {
    double sum = 0;
    boolean found = false;
    for (String line : exposition.split("\n")) {
      if (line.startsWith(HEAP_METRIC)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? (long) sum : -1;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
