package io.chamberlain.system.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Samples the leader's view ({@code GET /api/cluster}) every {@link #INTERVAL_MILLIS} on a thread of
 * its own while a scenario runs, so the scenario can ask afterwards when something first became
 * true ("all chambers owned", "settled on 5 defenders") without blocking its own steps. Every
 * {@link #ASSIGNMENT_EVERY}th poll also reads {@code GET /api/assignments} and remembers every chamber
 * shown {@code leasedTo} a deputy ({@link #leasedSeen()}). An unanswered poll (gateway busy or
 * restarting) is skipped. The resolution of every answer is one interval plus the HTTP round trip.
 * The status API can be switched (a gateway about to be killed) with {@link #useApi}.
 */
public final class ClusterTimeline implements AutoCloseable {

  public static final long INTERVAL_MILLIS = 100;
  /** Assignments are read every 5th poll (every 500 ms): a 6,000-chamber answer is large. */
  public static final int ASSIGNMENT_EVERY = 5;

  /** One answer of the status API and when it came. */
  public record Sample(long at, ClusterView view) {
  }

  private volatile GatewayApi api;
  private final java.util.Set<io.chamberlain.domain.ChamberKey> leasedSeen = new java.util.TreeSet<>();
  private long polls;
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "cluster-timeline"));
  private final List<Sample> samples = new ArrayList<>();

  private ClusterTimeline(GatewayApi api) {
    this.api = api;
  }

  public static ClusterTimeline start(GatewayApi api) {
    ClusterTimeline timeline = new ClusterTimeline(api);
    timeline.sampler.scheduleWithFixedDelay(timeline::sample, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    return timeline;
  }

  /** The first sample at or after {@code since} (epoch ms) whose view satisfies {@code condition}. */
  public synchronized Optional<Sample> first(long since, Predicate<ClusterView> condition) {
    return samples.stream().filter(s -> s.at() >= since && condition.test(s.view())).findFirst();
  }

  /** From now on samples come from {@code other} (the gateway behind the current one is about to go). */
  public void useApi(GatewayApi other) {
    api = other;
  }

  /** Every chamber an assignment sample showed leased to a deputy. */
  public synchronized java.util.Set<io.chamberlain.domain.ChamberKey> leasedSeen() {
    return java.util.Set.copyOf(leasedSeen);
  }

  /** The newest sample, if any. */
  public synchronized Optional<Sample> last() {
    return samples.isEmpty() ? Optional.empty() : Optional.of(samples.get(samples.size() - 1));
  }

  public synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    try {
      sampler.awaitTermination(GatewayApi.REQUEST_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sample() {
    GatewayApi current = api;
    try {
      ClusterView view = current.cluster();
      synchronized (this) {
        samples.add(new Sample(System.currentTimeMillis(), view));
      }
      if (polls++ % ASSIGNMENT_EVERY == 0) {
        AssignmentView assignments = current.assignments();
        synchronized (this) {
          leasedSeen.addAll(assignments.leasedTo().keySet());
        }
      }
    } catch (RuntimeException unanswered) {
      // skipped: the next poll comes INTERVAL_MILLIS later
    }
  }
}
