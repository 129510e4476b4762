package io.chamberlain.tools.launch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The processes one run started — a demo, a live-harness cluster — in start order, and the two
 * ways to end them all, newest first (collector and workers before the gateway, nats-server last):
 * {@link #stopAll} gracefully (SIGTERM, SIGKILL after a grace period), as a user stops the demo, and
 * {@link #killAll} at once (SIGKILL), as the harness cleans up after a scenario. Thread-safe: a
 * shutdown hook may end them while the run still starts more.
 */
public final class NodeGroup {

  private final List<NodeProcess> started = new ArrayList<>();

  /** Adds {@code process} to this group; returns it. */
  public synchronized NodeProcess add(NodeProcess process) {
    started.add(process);
    return process;
  }

  /** Every process of this group, in start order. */
  public synchronized List<NodeProcess> processes() {
    return List.copyOf(started);
  }

  /** Throws naming the first process that exited (its exit code, its log), if any did. */
  public void requireAllAlive() {
    processes().forEach(NodeProcess::requireAlive);
  }

  /**
   * SIGTERM to every process, newest first; then waits until each has exited or {@code grace} (for
   * them all) has passed, and SIGKILLs those still alive. Returns how many processes it stopped.
   */
  public int stopAll(Duration grace) {
    List<NodeProcess> newestFirst = newestFirst();
    newestFirst.forEach(NodeProcess::terminate);
    long deadline = System.nanoTime() + grace.toNanos();
    for (NodeProcess process : newestFirst) {
      if (!process.exitsWithin(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        process.destroy();
      }
    }
    return newestFirst.size();
  }

  /** SIGKILL to every process still alive (a frozen one dies too), newest first, each waited for briefly; never throws. */
  public void killAll() {
    newestFirst().forEach(NodeProcess::destroy);
  }

  private List<NodeProcess> newestFirst() {
    List<NodeProcess> newestFirst = new ArrayList<>(processes());
    Collections.reverse(newestFirst);
    return newestFirst;
  }
}
