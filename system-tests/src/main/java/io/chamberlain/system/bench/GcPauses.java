package io.chamberlain.system.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The stop-the-world pauses in JVM unified GC logs ({@code -Xlog:gc*:file=DIR/gc-%p.log}), one row
 * per log: how many, the longest, p99, their sum and how many were full collections. Reads the
 * lines every collector writes for a pause — Serial and G1 ({@code [gc] GC(n) Pause Young … 3.4ms}),
 * ZGC ({@code [gc,phases] GC(n) Y: Pause Mark Start 0.01ms}) — so collectors compare on one table.
 * Why it matters here: a node that pauses longer than the failure detector's tolerance looks frozen
 * (a defender silent for {@code leader.suspectedSilenceMillis} once a gateway suspects it).
 *
 * <p>Usage: {@code java -cp chamberlain-live.jar io.chamberlain.system.bench.GcPauses DIR...}
 */
public final class GcPauses {

  /** A pause line: a pause's name, then its duration in ms at the end of the line. */
  private static final Pattern PAUSE = Pattern.compile("\\[gc(?:,phases)?\\s*\\].* Pause (.+?) ([0-9.]+)ms$");

  /** One log's pauses. */
  public record Summary(String log, int pauses, double maxMillis, double p99Millis, double totalMillis, int fullCollections) {
  }

  private GcPauses() {
  }

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: GcPauses DIR... (directories of -Xlog:gc* files named gc-*.log)");
      System.exit(2);
    }
    System.out.println("| log | pauses | max (ms) | p99 (ms) | total (ms) | full collections |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    for (String dir : args) {
      for (Path log : logsIn(Path.of(dir))) {
        Summary s = summarize(log.toString(), readLines(log));
        System.out.printf("| %s | %d | %.1f | %.1f | %.0f | %d |%n", s.log(), s.pauses(), s.maxMillis(), s.p99Millis(),
            s.totalMillis(), s.fullCollections());
      }
    }
  }

  /** The pauses of one log's lines (lines that are no pause are skipped). */
  public static Summary summarize(String log, List<String> lines) {
    Histogram micros = new Histogram(3);
    double total = 0;
    int full = 0;
    for (String line : lines) {
      Matcher pause = PAUSE.matcher(line.strip());
      if (!pause.find()) {
        continue;
      }
      double millis = Double.parseDouble(pause.group(2));
      micros.recordValue(Math.max(1, Math.round(millis * 1000)));
      total += millis;
      if (pause.group(1).startsWith("Full")) {
        full++;
      }
    }
    long count = micros.getTotalCount();
    return new Summary(log, (int) count, count == 0 ? 0 : micros.getMaxValue() / 1000.0,
        count == 0 ? 0 : micros.getValueAtPercentile(99) / 1000.0, total, full);
  }

  private static List<Path> logsIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches("gc-.*\\.log")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static List<String> readLines(Path log) {
    try {
      return new ArrayList<>(Files.readAllLines(log));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }
}
