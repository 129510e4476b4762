package io.chamberlain.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.system.live.Await;
import io.chamberlain.tools.launch.ChamberlainInstall;
import io.chamberlain.tools.launch.FreePorts;
import io.chamberlain.testkit.TestTimeouts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, as a user runs it: {@code bin/chamberlain demo} starts NATS, a
 * gateway, workers and the collector, prints summary lines, and at the end of {@code --duration}
 * stops every process it started. Checked: it ends by itself with exit code 0, events were
 * processed with no SLA breach and no dead letter, and no process survives it.
 */
class DemoIT {

  private static final Pattern SUMMARY = Pattern.compile(
      "demo: +[\\d.]+ events/s \\| processed (\\d+) \\| latency p50 \\d+ ms p99 (\\d+) ms \\| SLA breaches (\\d+)"
          + " \\| retried \\d+ \\| dead letters (\\d+)");

  @TempDir
  Path tmp;

  @Test
  void theDemoRunsProcessesEventsAndLeavesNothingBehind() throws Exception {
    Path root = ChamberlainInstall.locate().root();
    Path output = tmp.resolve("demo.out");
    int httpPort = FreePorts.any();
    // 20 events/s for 10 s from the collector's start: about 3 rounds over the 48 chambers of config/chambers.yaml.
    ProcessBuilder demo = new ProcessBuilder("bin/chamberlain", "demo", "--workers", "2", "--rate", "20",
        "--duration", "10", "--http-port", Integer.toString(httpPort),
        "--cluster-port", Integer.toString(FreePorts.block(3)))
        .directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
    Process process = demo.start();
    boolean ended = process.waitFor(TestTimeouts.seconds(180).toSeconds(), TimeUnit.SECONDS);
    if (!ended) {
      process.destroy();
      process.waitFor(TestTimeouts.seconds(30).toSeconds(), TimeUnit.SECONDS);
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertTrue(ended, "the demo did not end after --duration:\n" + printed);
    assertEquals(0, process.exitValue(), "demo exit code:\n" + printed);
    assertTrue(printed.contains("demo: status API  http://127.0.0.1:" + httpPort + "/api/cluster"), printed);
    List<Matcher> summaries = printed.lines().map(SUMMARY::matcher).filter(Matcher::find).toList();
    assertTrue(!summaries.isEmpty(), "no summary line:\n" + printed);
    Matcher last = summaries.get(summaries.size() - 1);
    assertTrue(Long.parseLong(last.group(1)) > 0, "nothing processed:\n" + printed);
    assertEquals("0", last.group(3), "SLA breaches:\n" + printed);
    assertEquals("0", last.group(4), "dead letters:\n" + printed);
    System.out.println("demo: last summary: " + last.group());
    Await.until("every process the demo started is gone", TestTimeouts.seconds(30),
        () -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
  }
}
