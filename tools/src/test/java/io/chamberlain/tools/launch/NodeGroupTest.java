package io.chamberlain.tools.launch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.testkit.TestTimeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ending a run's processes: the demo's graceful stop (SIGTERM, then SIGKILL for whatever outlives the
 * grace period) and the harness's cleanup (SIGKILL at once), and the failure that names a process
 * that exited. On tiny shell scripts, not JVMs.
 */
class NodeGroupTest {

  /** Sleeps in short steps; on SIGTERM prints and exits 143, like a node's graceful stop. */
  private static final List<String> GRACEFUL = List.of("sh", "-c",
      "trap 'echo terminated; exit 143' TERM; i=0; while [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done");
  /** Ignores SIGTERM: a node whose graceful stop hangs. */
  private static final List<String> STUBBORN = List.of("sh", "-c",
      "trap '' TERM; i=0; while [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done");

  @TempDir
  Path logs;

  @Test
  void stopAllTerminatesAndKillsWhatOutlivesTheGracePeriod() {
    NodeGroup group = new NodeGroup();
    NodeProcess graceful = group.add(NodeProcess.start("graceful", GRACEFUL, Map.of(), logs));
    NodeProcess stubborn = group.add(NodeProcess.start("stubborn", STUBBORN, Map.of(), logs));
    try {
      awaitTrapped(graceful);
      awaitTrapped(stubborn);
      long start = System.nanoTime();
      assertEquals(2, group.stopAll(Duration.ofSeconds(1)));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertFalse(graceful.isAlive() || stubborn.isAlive(), "both ended");
      assertEquals(NodeProcess.EXIT_SIGTERM, graceful.awaitExit(Duration.ZERO), "stopped by its own TERM handler");
      assertEquals(NodeProcess.EXIT_SIGKILL, stubborn.awaitExit(Duration.ZERO), "killed after the grace period");
      assertTrue(took.compareTo(Duration.ofMillis(900)) >= 0, "waited out the grace period: " + took);
    } finally {
      group.killAll();
    }
  }

  @Test
  void killAllIsSigkillForEveryProcessEvenAFrozenOne() {
    NodeGroup group = new NodeGroup();
    NodeProcess graceful = group.add(NodeProcess.start("graceful", GRACEFUL, Map.of(), logs));
    NodeProcess frozen = group.add(NodeProcess.start("frozen", GRACEFUL, Map.of(), logs));
    frozen.freeze();
    group.killAll();
    assertEquals(NodeProcess.EXIT_SIGKILL, graceful.awaitExit(TestTimeouts.seconds(10)));
    assertEquals(NodeProcess.EXIT_SIGKILL, frozen.awaitExit(TestTimeouts.seconds(10)));
  }

  @Test
  void requireAllAliveNamesTheProcessThatExitedItsCodeAndItsLog() {
    NodeGroup group = new NodeGroup();
    NodeProcess alive = group.add(NodeProcess.start("alive", GRACEFUL, Map.of(), logs));
    NodeProcess failed = group.add(NodeProcess.start("failed", List.of("sh", "-c", "exit 3"), Map.of(), logs));
    try {
      failed.awaitExit(TestTimeouts.seconds(10));
      IllegalStateException exited = assertThrows(IllegalStateException.class, group::requireAllAlive);
      assertEquals("failed exited (code 3); see " + logs.resolve("failed.log"), exited.getMessage());
      assertEquals(List.of(alive, failed), group.processes(), "in start order");
    } finally {
      group.killAll();
    }
  }

  /** The shell installs its trap first thing; a started loop (a child `sleep`) proves it got there. */
  private static void awaitTrapped(NodeProcess process) {
    await(process.name() + " loop running").atMost(TestTimeouts.seconds(5))
        .until(() -> ProcessHandle.of(process.pid()).map(h -> h.children().findAny().isPresent()).orElse(false));
  }
}
