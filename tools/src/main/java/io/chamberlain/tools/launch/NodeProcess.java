package io.chamberlain.tools.launch;

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
 * One child process — nats-server, a gateway or a worker JVM ({@link NodeLauncher}), the demo's
 * collector — of the demo supervisor or of the live harness's process cluster, and the ways a real
 * deployment loses it: {@link #kill9()} (SIGKILL: no shutdown hook, sockets reset by the kernel),
 * {@link #terminate()} (SIGTERM: the node's graceful stop), {@link #freeze()} / {@link #thaw()}
 * (SIGSTOP / SIGCONT: a hung host). {@link #restart()} starts the same command with the same
 * environment again (same defender id, same ports); each run logs stdout and stderr to its own file.
 *
 * <p>A node is configured through its environment only: the variables given, over this JVM's own —
 * whose node settings ({@code CHAMBERLAIN_*}, {@code DEFENDER_ID}) it keeps or drops as the caller
 * says ({@link InheritedSettings}).
 *
 * <p>On Linux {@link Process#destroyForcibly()} sends SIGKILL and {@link Process#destroy()} SIGTERM;
 * the exit codes 137 and 143 prove it (see {@code NodeProcessSignalsTest}).
 */
public final class NodeProcess {

  /** Exit code of a process ended by SIGKILL (128 + 9). */
  public static final int EXIT_SIGKILL = 137;
  /** Exit code of a process ended by SIGTERM without a handler that exits otherwise (128 + 15). */
  public static final int EXIT_SIGTERM = 143;

  /** What a started process takes over of this JVM's own node settings ({@code CHAMBERLAIN_*}, {@code DEFENDER_ID}). */
  public enum InheritedSettings {
    /** None: a developer's shell must not change a scenario (the live harness). */
    DROP,
    /** All that the given environment does not set: a user's {@code CHAMBERLAIN_*} reach the demo's nodes. */
    KEEP
  }

  /** Thrown when a process did not exit in time. */
  public static final class StillRunningException extends IllegalStateException {
    StillRunningException(String message) {
      super(message);
    }
  }

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final InheritedSettings inherited;
  private final Path logDir;
  private int run;
  private volatile Process process;

  private NodeProcess(String name, List<String> command, Map<String, String> environment, InheritedSettings inherited,
                      Path logDir) {
    this.name = name;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.inherited = inherited;
    this.logDir = logDir;
  }

  /**
   * Starts {@code command} with {@code environment} over this JVM's, without this JVM's node settings;
   * output goes to {@code logDir/name.log}.
   */
  public static NodeProcess start(String name, List<String> command, Map<String, String> environment, Path logDir) {
    return start(name, command, environment, InheritedSettings.DROP, logDir);
  }

  /** Starts {@code command} with {@code environment} over this JVM's; output goes to {@code logDir/name.log}. */
  public static NodeProcess start(String name, List<String> command, Map<String, String> environment,
                                  InheritedSettings inherited, Path logDir) {
    NodeProcess node = new NodeProcess(name, command, environment, inherited, logDir);
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
    configure(builder.environment(), environment, inherited);
    try {
      Files.createDirectories(logDir);
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + name + ": " + String.join(" ", command), e);
    }
  }

  /** Turns this JVM's environment ({@code processEnvironment}) into the node's. */
  static void configure(Map<String, String> processEnvironment, Map<String, String> environment, InheritedSettings inherited) {
    if (inherited == InheritedSettings.DROP) {
      processEnvironment.keySet().removeIf(key -> key.startsWith("CHAMBERLAIN_") || key.equals("DEFENDER_ID"));
    }
    processEnvironment.putAll(environment);
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

  /** Waits for the current run to exit and returns its exit code; {@link StillRunningException} if it did not. */
  public int awaitExit(Duration timeout) {
    if (!exitsWithin(timeout)) {
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("interrupted while waiting for " + name + " to exit");
      }
      throw new StillRunningException(name + " (pid " + pid() + ") did not exit within " + timeout.toMillis()
          + " ms; see " + log());
    }
    return process.exitValue();
  }

  /** Whether the current run exits within {@code timeout}; false, with the interrupt flag set, if interrupted. */
  public boolean exitsWithin(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Throws naming the process, its exit code and its log, if the current run has exited. */
  public void requireAlive() {
    if (!isAlive()) {
      throw new IllegalStateException(name + " exited (code " + awaitExit(Duration.ZERO) + "); see " + log());
    }
  }

  /** Cleanup path: SIGKILL if alive (a frozen process dies too) and wait briefly; never throws. */
  public void destroy() {
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
