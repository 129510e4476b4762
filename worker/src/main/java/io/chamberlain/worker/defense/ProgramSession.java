package io.chamberlain.worker.defense;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One running external program and its line exchange, one request at a time.
 *
 * <p>Lifecycle: the program is started lazily by the first request. Any failure — it exited, it
 * did not answer within the timeout, its answer was unusable — kills it ({@code destroyForcibly},
 * with its children) and schedules the next start after an exponential {@link Backoff}. A request
 * arriving before that time waits for it if it is less than one timeout away, else fails at once
 * {@linkplain DefenseProcessException#notTried without counting against the event} — so a broken
 * program never holds a caller longer than about one timeout, and the events after a bad one are
 * not dead-lettered for the back-off it caused. Each started program gets its own stdout queue, fed by a daemon
 * reader thread, so a late line from a killed program can never be taken for the answer of the
 * next one. Stderr is drained by another daemon thread; its last lines go into error messages.
 */
final class ProgramSession implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ProgramSession.class.getName());
  private static final String EOF = new String("<eof>"); // identity sentinel
  private static final String TOO_LONG = new String("<too-long>"); // identity sentinel
  private static final int STDERR_LINES = 5;
  /**
   * Answer lines held unread: one is expected per request, so a program printing lines nobody asked for
   * costs at most this many lines of {@code maxLineChars} each.
   */
  private static final int UNREAD_LINES = 8;
  /** Characters of a stderr line kept for error messages; the rest of the line is read and dropped. */
  private static final int STDERR_LINE_CHARS = 500;

  private final String label;
  private final List<String> command;
  private final Duration timeout;
  private final Backoff backoff;
  private final int maxLineChars;
  private Process process;
  private OutputStream stdin;
  private BlockingQueue<String> stdout;
  private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
  private long notBeforeNanos = System.nanoTime();
  private int starts;
  private boolean closed;
  /**
   * One exchange at a time. A lock, not {@code synchronized}: exchanges run on virtual threads and wait
   * for the program's answer, and on Java 21–23 a virtual thread waiting inside {@code synchronized}
   * holds its carrier — two such waits would stall every defense of a 2-core worker.
   */
  private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

  /** @param maxLineChars longest answer line read; a longer one is never held in memory whole, it fails the exchange */
  ProgramSession(String label, List<String> command, Duration timeout, Backoff backoff, int maxLineChars) {
    this.label = label;
    this.command = List.copyOf(command);
    this.timeout = timeout;
    this.backoff = backoff;
    this.maxLineChars = maxLineChars;
  }

  /**
   * Sends one line and returns the program's one-line answer; {@code validate} parses it (and
   * throws if it is unusable) while the program is still ours to kill.
   */
  <T> T exchange(String requestLine, java.util.function.Function<String, T> validate) {
    lock.lock();
    try {
      return exchangeHeld(requestLine, validate);
    } finally {
      lock.unlock();
    }
  }

  private <T> T exchangeHeld(String requestLine, java.util.function.Function<String, T> validate) {
    ensureRunning();
    String answer;
    try {
      stdin.write((requestLine + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      answer = stdout.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (IOException broken) {
      throw fail("could not write to it (" + broken.getMessage() + ")");
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw fail("interrupted while waiting for its answer");
    }
    if (answer == null) {
      throw fail("no answer within " + timeout.toMillis() + " ms");
    }
    if (answer == EOF) {
      throw fail("it exited" + exitCode());
    }
    if (answer == TOO_LONG) {
      throw fail("its answer line was longer than " + maxLineChars + " characters (option maxLineChars)");
    }
    try {
      T result = validate.apply(answer);
      backoff.succeeded();
      return result;
    } catch (RuntimeException unusable) { // whatever the parser tripped on, the answer is the program's fault
      throw fail("bad answer: " + unusable.getMessage());
    }
  }

  /** How many times the program was started; for tests and metrics. */
  int starts() {
    lock.lock();
    try {
      return starts;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      kill();
    } finally {
      lock.unlock();
    }
  }

  private void ensureRunning() {
    if (closed) {
      throw DefenseProcessException.notTried(label + " is closed");
    }
    if (process != null && process.isAlive()) {
      return;
    }
    long wait = notBeforeNanos - System.nanoTime();
    if (wait > timeout.toNanos()) {
      throw DefenseProcessException.notTried(label + " is restarting after " + backoff.consecutiveFailures()
          + " failure(s); next start in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms");
    }
    // Wait out the rest of the back-off (less than one timeout): its end is the start.
    for (long left = wait; left > 0; left = notBeforeNanos - System.nanoTime()) {
      java.util.concurrent.locks.LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw DefenseProcessException.notTried(label + ": interrupted while waiting for its restart");
      }
    }
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException cannotStart) {
      throw fail("could not start " + command + ": " + cannotStart.getMessage());
    }
    starts++;
    stdin = process.getOutputStream();
    stdout = new LinkedBlockingQueue<>(UNREAD_LINES);
    pump(process.getInputStream(), stdout, "stdout");
    pump(process.getErrorStream(), null, "stderr");
    LOG.log(System.Logger.Level.INFO, "defense: started [{0}] pid {1} ({2})", label, process.pid(), command);
  }

  private void pump(InputStream stream, BlockingQueue<String> lines, String name) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        int limit = lines != null ? maxLineChars : STDERR_LINE_CHARS;
        for (String line; (line = readLine(reader, limit, lines != null)) != null; ) {
          if (lines != null) {
            lines.offer(line); // dropped when full: a program talking out of turn fails its next exchange anyway
            if (line == TOO_LONG) {
              skipLine(reader); // the session kills the program meanwhile: this ends at its end of output
            }
          } else {
            rememberStderr(line);
          }
        }
      } catch (IOException closed) {
        // the program was killed; the session already knows
      } finally {
        if (lines != null) {
          lines.offer(EOF);
        }
      }
    }, "defense-" + label + "-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * One line of at most {@code limit} characters ({@code \n}, {@code \r\n} or the end ends it), or null at
   * the end. A longer one is {@link #TOO_LONG} as soon as it passes the limit when {@code flagLong} (the
   * rest of it is skipped by the next call), else its beginning, the rest read and dropped. A program
   * printing a gigabyte, or an endless line, costs a bounded buffer, not the heap, and fails at once.
   */
  static String readLine(BufferedReader reader, int limit, boolean flagLong) throws IOException {
    StringBuilder line = new StringBuilder();
    boolean tooLong = false;
    int c;
    while ((c = reader.read()) != -1 && c != '\n') {
      if (line.length() < limit) {
        line.append((char) c);
      } else if (flagLong) {
        return TOO_LONG;
      } else {
        tooLong = true;
      }
    }
    if (c == -1 && line.isEmpty() && !tooLong) {
      return null;
    }
    int end = line.length();
    return !tooLong && end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
  }

  /** Reads and drops the rest of the current line. */
  private static void skipLine(BufferedReader reader) throws IOException {
    for (int c = reader.read(); c != -1 && c != '\n'; c = reader.read()) {
      // dropped
    }
  }

  private void rememberStderr(String line) {
    LOG.log(System.Logger.Level.DEBUG, "defense: [{0}] stderr: {1}", label, line);
    synchronized (stderrTail) {
      if (stderrTail.size() == STDERR_LINES) {
        stderrTail.removeFirst();
      }
      stderrTail.addLast(line);
    }
  }

  private DefenseProcessException fail(String what) {
    kill();
    Duration delay = backoff.failed();
    notBeforeNanos = System.nanoTime() + delay.toNanos();
    String stderr;
    synchronized (stderrTail) {
      stderr = stderrTail.isEmpty() ? "" : "; stderr: " + String.join(" | ", stderrTail);
      stderrTail.clear();
    }
    String message = label + " failed: " + what + stderr + "; restart in " + delay.toMillis() + " ms";
    LOG.log(System.Logger.Level.WARNING, "defense: " + message);
    return new DefenseProcessException(message, true);
  }

  private String exitCode() {
    try {
      return process != null && process.waitFor(200, TimeUnit.MILLISECONDS) ? " with code " + process.exitValue() : "";
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private void kill() {
    if (process != null) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process = null;
    }
  }
}
