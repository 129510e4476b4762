package io.chamberlain.system.live;

import io.chamberlain.testkit.TestTimeouts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/** After a scenario: no process this JVM started may still run (the ps check, from inside). */
final class NoSurvivors {

  private NoSurvivors() {
  }

  static void assertNone() {
    Await.until("every child process gone", TestTimeouts.seconds(15),
        () -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
    List<String> alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
    assertEquals(List.of(), alive, "processes that survived the scenario");
  }
}
