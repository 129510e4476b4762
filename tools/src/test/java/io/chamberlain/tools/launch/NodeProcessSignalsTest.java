package io.chamberlain.tools.launch;

import io.chamberlain.testkit.TestTimeouts;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's crash tools do what their names say on this OS: {@code kill9()} really is SIGKILL
 * (exit 137, no handler runs), {@code terminate()} SIGTERM (the process's trap runs), {@code freeze()}
 * stops the process in the kernel until {@code thaw()}. Checked on a tiny shell script, not on a JVM,
 * so the test takes milliseconds.
 */
class NodeProcessSignalsTest {

  /** Sleeps in short steps (so a trap runs promptly); on SIGTERM prints and exits 143. */
  private static final List<String> SLEEPER = List.of("sh", "-c",
      "trap 'echo terminated; exit 143' TERM; i=0; while [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done");

  @TempDir
  Path logs;

  @Test
  void kill9IsSigkillAndSkipsHandlers() throws Exception {
    NodeProcess process = NodeProcess.start("sleeper", SLEEPER, Map.of(), logs);
    process.kill9();
    assertEquals(NodeProcess.EXIT_SIGKILL, process.awaitExit(TestTimeouts.seconds(10)));
    assertFalse(java.nio.file.Files.readString(process.log()).contains("terminated"), "no handler ran");
  }

  @Test
  void terminateIsSigtermAndRunsHandlers() throws Exception {
    NodeProcess process = NodeProcess.start("sleeper", SLEEPER, Map.of(), logs);
    await("trap installed").atMost(TestTimeouts.seconds(5)).until(process::isAlive);
    waitForTrap(process);
    process.terminate();
    assertEquals(NodeProcess.EXIT_SIGTERM, process.awaitExit(TestTimeouts.seconds(10)));
    assertTrue(java.nio.file.Files.readString(process.log()).contains("terminated"), "the TERM handler ran");
  }

  @Test
  void freezeStopsTheProcessUntilThaw() {
    NodeProcess process = NodeProcess.start("sleeper", SLEEPER, Map.of(), logs);
    try {
      process.freeze();
      await("kernel reports the process stopped").atMost(TestTimeouts.seconds(5)).until(process::isFrozen);
      process.thaw();
      await("kernel reports the process running again").atMost(TestTimeouts.seconds(5)).until(() -> !process.isFrozen());
      assertTrue(process.isAlive());
    } finally {
      process.destroy();
    }
  }

  @Test
  void restartRunsTheSameCommandAgainWithItsOwnLog() {
    NodeProcess process = NodeProcess.start("sleeper", SLEEPER, Map.of(), logs);
    long firstPid = process.pid();
    process.kill9();
    process.awaitExit(TestTimeouts.seconds(10));
    process.restart();
    try {
      assertTrue(process.isAlive());
      assertTrue(process.pid() != firstPid);
      assertEquals(logs.resolve("sleeper.2.log"), process.log());
    } finally {
      process.destroy();
    }
  }

  /** The shell installs its trap first thing; a started loop (a child `sleep`) proves it got there. */
  private static void waitForTrap(NodeProcess process) {
    await("sleeper loop running").atMost(TestTimeouts.seconds(5))
        .until(() -> ProcessHandle.of(process.pid()).map(h -> h.children().findAny().isPresent()).orElse(false));
  }
}
