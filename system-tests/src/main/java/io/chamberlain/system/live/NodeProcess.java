package io.chamberlain.system.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * One child process of a {@link ProcessCluster} (nats-server, a gateway or a worker JVM) and the
 * ways a real deployment loses it: {@link #kill9()} (SIGKILL: no shutdown hook, sockets reset by
 * the kernel), {@link #terminate()} (SIGTERM: the node's graceful stop), {@link #freeze()} /
 * {@link #thaw()} (SIGSTOP / SIGCONT: a hung host). {@link #restart()} starts the same command with
 * the same environment again (same defender id, same ports); each run logs to its own file.
 *
 * <p>On Linux {@link Process#destroyForcibly()} sends SIGKILL and {@link Process#destroy()} SIGTERM;
 * the exit codes 137 and 143 prove it (see {@code NodeProcessSignalsTest}).
 */
public final class NodeProcess {

  /** Exit code of a process ended by SIGKILL (128 + 9). */
  public static final int EXIT_SIGKILL = 137;
  /** Exit code of a process ended by SIGTERM without a handler that exits otherwise (128 + 15). */
  public static final int EXIT_SIGTERM = 143;

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path logDir;
  private int run;
  private volatile Process process;

  private NodeProcess(String name, List<String> command, Map<String, String> environment, Path logDir) {
    this.name = name;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.logDir = logDir;
  }

  /** Starts {@code command} with {@code environment} added to this JVM's; output goes to {@code logDir/name.log}. */
  public static NodeProcess start(String name, List<String> command, Map<String, String> environment, Path logDir) {
    NodeProcess node = new NodeProcess(name, command, environment, logDir);
    node.launch();
    return node;
  }

  /** Starts the same command again; the previous run must have exited. */
  public synchronized void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException(name + " (pid " + pid() + ") is still running; stop it before restarting");
    }
    launch();
  }

  private synchronized void launch() {
    run++;
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log().toFile());
    // A developer's shell must not change a scenario: inherited node settings are dropped.
    builder.environment().keySet().removeIf(key -> key.startsWith("CHAMBERLAIN_") || key.equals("DEFENDER_ID"));
    builder.environment().putAll(environment);
    try {
      Files.createDirectories(logDir);
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + name + ": " + String.join(" ", command), e);
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Log of the current run: {@code name.log}, then {@code name.2.log}, … after restarts. */
  public synchronized Path log() {
    return logDir.resolve(run <= 1 ? name + ".log" : name + "." + run + ".log");
  }

  /**
   * The first group of the first line of the current run's log that {@code pattern} finds, e.g. the
   * node id in {@code gateway: up on node [abc]}; empty when no line matches (yet).
   */
  public Optional<String> findInLog(Pattern pattern) {
    try (java.util.stream.Stream<String> lines = Files.lines(log(), java.nio.charset.StandardCharsets.ISO_8859_1)) {
      return lines.map(pattern::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst();
    } catch (IOException | java.io.UncheckedIOException notYet) {
      return Optional.empty();
    }
  }

  /** SIGKILL, at once; returns without waiting (use {@link #awaitExit}). */
  public void kill9() {
    process.destroyForcibly();
  }

  /** SIGTERM: the node runs its shutdown hook (graceful stop); returns without waiting. */
  public void terminate() {
    process.destroy();
  }

  /** SIGSTOP: the process stays alive but does nothing, like a hung host. */
  public void freeze() {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  public void thaw() {
    signal("CONT");
  }

  /** Whether the kernel reports the process as stopped (state {@code T} in /proc/PID/stat). */
  public boolean isFrozen() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
    } catch (IOException gone) {
      return false;
    }
  }

  /** Waits for the current run to exit and returns its exit code. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new Await.TimeoutException(name + " (pid " + pid() + ") did not exit within " + timeout.toMillis()
            + " ms; see " + log(), null);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
    }
  }

  /** Cleanup path: SIGKILL if alive (a frozen process dies too) and wait briefly; never throws. */
  void destroy() {
    Process current = process;
    if (current == null || !current.isAlive()) {
      return;
    }
    current.destroyForcibly();
    try {
      current.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void signal(String signal) {
    long pid = pid();
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        kill.destroyForcibly();
        throw new IllegalStateException("kill -" + signal + " " + pid + " (" + name + ") failed: "
            + new String(kill.getInputStream().readAllBytes()));
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run kill -" + signal + " " + pid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + name, e);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + (process == null ? "-" : pid()) + ")";
  }
}
