package io.chamberlain.system.fuzz;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.wire.NatsHeaders;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.ObjectStore;
import io.nats.client.api.ConsumerInfo;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One end-to-end fuzz round on a running Chamberlain: a seeded mix of bad events of every kind
 * ({@link BadEvents}) interleaved with good ones, published to NATS, then checked against the
 * delivery contract for bad input:
 * <ul>
 *   <li>every bad event dead-lettered exactly once, under its reason token, with a reason header;
 *   <li>the gateway's {@code chamberlain_events_dead_lettered_total{reason}} grew by as many per reason;
 *   <li>every good event judged exactly once, in publish order per chamber; no bad event judged;
 *   <li>nothing of the lane left pending or unacknowledged;
 *   <li>the clean chambers (no bad event ever) judged within {@code cleanLatencyBound} at p99, i.e. never
 *       waiting for a bad event's retries.
 * </ul>
 * Bad events go to the "mixed" chambers only; the rest are clean. Streams must be empty of earlier
 * rounds' messages or counted before ({@link #run} reads the stream counts at its start).
 */
public final class FuzzRun {

  /** The outcome: a row per kind, the clean chambers' latency, and every violation in words. */
  public record Result(Map<BadEvents.Kind, Row> rows, long cleanP99Millis, List<String> violations) {
    public boolean passed() {
      return violations.isEmpty();
    }

    /** The table the command prints. */
    public String table() {
      StringBuilder out = new StringBuilder(String.format("%-20s %6s %6s  %-18s %7s%n", "kind", "sent", "dead", "reason", "metric"));
      rows.forEach((kind, row) -> out.append(String.format("%-20s %6d %6d  %-18s %7s%n", kind.name().toLowerCase(),
          row.sent, row.deadLettered, kind.reason() == null ? "(judged)" : kind.reason(),
          kind.reason() == null ? "-" : String.valueOf(row.metric))));
      return out.append("clean chambers' verdict latency p99: ").append(cleanP99Millis).append(" ms").toString();
    }
  }

  /** Per kind: events sent, dead letters found under its reason, the metric's growth for its reason. */
  public static final class Row {
    int sent;
    int deadLettered;
    long metric;
  }

  private final Connection nats;
  private final Supplier<String> metrics;
  private final List<ChamberProfile> mixed;
  private final List<ChamberProfile> clean;

  /**
   * @param metrics the gateway's Prometheus exposition ({@code /metrics})
   * @param mixed chambers that get bad events among their good ones
   * @param clean chambers that get good events only
   */
  public FuzzRun(Connection nats, Supplier<String> metrics, List<ChamberProfile> mixed, List<ChamberProfile> clean) {
    this.nats = nats;
    this.metrics = metrics;
    this.mixed = List.copyOf(mixed);
    this.clean = List.copyOf(clean);
  }

  /**
   * Publishes {@code badCount} bad events and about as many good ones, then waits up to {@code timeout}
   * for them to be judged or dead-lettered and checks the contract.
   */
  public Result run(long seed, String runTag, int badCount, Duration timeout, Duration cleanLatencyBound) throws Exception {
    BadEvents events = new BadEvents(seed, runTag);
    Random mix = new Random(seed ^ 0x5DEECE66DL);
    JetStream jetStream = nats.jetStream();
    JetStreamManagement management = nats.jetStreamManagement();
    JetStreamSetup.ensureTraces(nats, Duration.ofHours(1)); // as a collector does before storing a trace
    ObjectStore traces = nats.objectStore(Subjects.TRACE_BUCKET);
    long verdictsBefore = count(management, Subjects.VERDICT_STREAM);
    long deadBefore = count(management, Subjects.DEAD_LETTER_STREAM);
    Map<String, Double> metricsBefore = deadLetteredByReason(metrics.get());

    Map<BadEvents.Kind, Row> rows = new EnumMap<>(BadEvents.Kind.class);
    Map<ChamberKey, List<String>> judgedExpected = new TreeMap<>();
    Map<String, Long> publishedAt = new HashMap<>();
    List<String> expectedDead = new ArrayList<>(); // "reason|payload"
    Map<String, BadEvents.Kind> kindOf = new HashMap<>();
    List<String> cleanIds = new ArrayList<>();
    int bad = 0;
    while (bad < badCount) {
      BadEvents.Case event;
      int roll = mix.nextInt(4);
      if (roll == 0) {
        event = events.good(clean.get(mix.nextInt(clean.size())), System.currentTimeMillis());
        cleanIds.add(event.contextId());
      } else if (roll == 1) {
        event = events.next(mix.nextBoolean() ? BadEvents.Kind.GOOD : events.anyKind(), mixed.get(mix.nextInt(mixed.size())),
            System.currentTimeMillis());
      } else {
        event = events.next(events.badKind(), mixed.get(mix.nextInt(mixed.size())), System.currentTimeMillis());
      }
      if (event.traceBytes() != null) {
        traces.put(event.traceRef(), event.traceBytes());
      }
      jetStream.publish(event.subject(), event.payload());
      publishedAt.put(event.contextId(), System.currentTimeMillis());
      rows.computeIfAbsent(event.kind(), k -> new Row()).sent++;
      if (event.kind().reason() == null) {
        judgedExpected.computeIfAbsent(event.target().profile().chamber(), k -> new ArrayList<>()).add(event.contextId());
      } else {
        String key = event.kind().reason() + "|" + new String(event.payload(), StandardCharsets.ISO_8859_1);
        expectedDead.add(key);
        kindOf.put(key, event.kind());
        bad++;
      }
    }
    int goods = judgedExpected.values().stream().mapToInt(List::size).sum();

    List<String> violations = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && (count(management, Subjects.VERDICT_STREAM) - verdictsBefore < goods
        || count(management, Subjects.DEAD_LETTER_STREAM) - deadBefore < expectedDead.size() || !drained(management))) {
      nats.flush(Duration.ofMillis(200)); // a round trip to the server, the poll's pace
    }

    // Verdicts: each good event once, in order per chamber; no bad one.
    Map<ChamberKey, List<String>> judged = new TreeMap<>();
    List<Long> cleanLatencies = new ArrayList<>();
    java.util.Set<String> cleanSet = new java.util.HashSet<>(cleanIds);
    for (Message verdict : read(management, Subjects.VERDICT_STREAM, verdictsBefore)) {
      JsonObject body = new JsonObject(new String(verdict.getData(), StandardCharsets.UTF_8));
      String contextId = body.getString("contextId");
      if (!publishedAt.containsKey(contextId)) {
        continue; // another round's
      }
      judged.computeIfAbsent(new ChamberKey(body.getString("toolId"), body.getString("chamberId")), k -> new ArrayList<>())
          .add(contextId);
      if (cleanSet.contains(contextId)) {
        cleanLatencies.add(Math.max(0, body.getLong("publishedAt") - publishedAt.get(contextId)));
      }
    }
    if (!judgedExpected.equals(judged)) {
      for (ChamberKey chamber : judgedExpected.keySet()) {
        List<String> want = judgedExpected.get(chamber);
        List<String> got = judged.getOrDefault(chamber, List.of());
        if (!want.equals(got)) {
          violations.add("chamber " + chamber + ": judged " + got.size() + " of " + want.size()
              + " good events or out of order; first difference at " + firstDifference(want, got));
        }
      }
      judged.keySet().stream().filter(chamber -> !judgedExpected.containsKey(chamber))
          .forEach(chamber -> violations.add("chamber " + chamber + " judged events no one published good: " + judged.get(chamber)));
    }

    // Dead letters: each bad one once, under its reason, with a reason header.
    List<String> actualDead = new ArrayList<>();
    for (Message dead : read(management, Subjects.DEAD_LETTER_STREAM, deadBefore)) {
      String reason = dead.getSubject().substring(dead.getSubject().lastIndexOf('.') + 1);
      String header = dead.getHeaders() == null ? null : NatsHeaders.read(dead.getHeaders(), NatsHeaders.DLQ_REASON);
      if (header == null || header.isBlank()) {
        violations.add("dead letter on " + dead.getSubject() + " has no " + NatsHeaders.DLQ_REASON + " header");
      }
      String key = reason + "|" + new String(dead.getData(), StandardCharsets.ISO_8859_1);
      actualDead.add(key);
      if (kindOf.containsKey(key)) {
        rows.get(kindOf.get(key)).deadLettered++;
      }
    }
    Map<String, Integer> want = multiset(expectedDead);
    Map<String, Integer> got = multiset(actualDead);
    if (!want.equals(got)) {
      want.forEach((key, n) -> {
        int found = got.getOrDefault(key, 0);
        if (found != n) {
          violations.add("expected " + n + " dead letter(s) " + preview(key) + ", found " + found);
        }
      });
      got.keySet().stream().filter(key -> !want.containsKey(key))
          .forEach(key -> violations.add("unexpected dead letter " + preview(key)));
    }

    // The metric, by reason.
    Map<String, Double> metricsAfter = deadLetteredByReason(metrics.get());
    Map<String, Integer> expectedByReason = new HashMap<>();
    expectedDead.forEach(entry -> expectedByReason.merge(entry.substring(0, entry.indexOf('|')), 1, Integer::sum));
    expectedByReason.forEach((reason, n) -> {
      double grew = metricsAfter.getOrDefault(reason, 0.0) - metricsBefore.getOrDefault(reason, 0.0);
      if (grew != n) {
        violations.add("chamberlain_events_dead_lettered_total{reason=\"" + reason + "\"} grew by " + grew + ", expected " + n);
      }
    });
    rows.forEach((kind, row) -> {
      if (kind.reason() != null) {
        row.metric = Math.round(metricsAfter.getOrDefault(kind.reason(), 0.0) - metricsBefore.getOrDefault(kind.reason(), 0.0));
      }
    });

    if (!drained(management)) {
      ConsumerInfo lane = management.getConsumerInfo(Subjects.COMPLETIONS_STREAM, Subjects.INGEST_CONSUMER);
      violations.add("the lane still holds events: " + lane.getNumPending() + " pending, " + lane.getNumAckPending() + " unacknowledged");
    }
    long p99 = percentile99(cleanLatencies);
    if (cleanLatencies.size() < cleanIds.size()) {
      violations.add("only " + cleanLatencies.size() + " of " + cleanIds.size() + " clean chambers' events judged");
    } else if (p99 > cleanLatencyBound.toMillis()) {
      violations.add("clean chambers' p99 " + p99 + " ms above " + cleanLatencyBound.toMillis() + " ms: they waited for bad events");
    }
    return new Result(rows, p99, violations);
  }

  private static long count(JetStreamManagement management, String stream) throws Exception {
    return management.getStreamInfo(stream).getStreamState().getMsgCount();
  }

  private static boolean drained(JetStreamManagement management) throws Exception {
    ConsumerInfo lane = management.getConsumerInfo(Subjects.COMPLETIONS_STREAM, Subjects.INGEST_CONSUMER);
    return lane.getNumPending() == 0 && lane.getNumAckPending() == 0;
  }

  /** The stream's messages after the first {@code skip}, in order (direct gets by sequence). */
  private static List<Message> read(JetStreamManagement management, String stream, long skip) throws Exception {
    var state = management.getStreamInfo(stream).getStreamState();
    List<Message> messages = new ArrayList<>();
    for (long sequence = state.getFirstSequence() + skip; sequence <= state.getLastSequence(); sequence++) {
      var stored = management.getMessage(stream, sequence);
      messages.add(new io.nats.client.impl.NatsMessage(stored.getSubject(), null, stored.getHeaders(), stored.getData()));
    }
    return messages;
  }

  /** {@code chamberlain_events_dead_lettered_total} per reason in a Prometheus exposition. */
  static Map<String, Double> deadLetteredByReason(String exposition) {
    Map<String, Double> byReason = new LinkedHashMap<>();
    java.util.regex.Matcher reason;
    for (String line : exposition.split("\n")) {
      if (line.startsWith("chamberlain_events_dead_lettered_total{")
          && (reason = java.util.regex.Pattern.compile("reason=\"([^\"]*)\"").matcher(line)).find()) {
        byReason.merge(reason.group(1), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
      }
    }
    return byReason;
  }

  private static Map<String, Integer> multiset(List<String> entries) {
    Map<String, Integer> counts = new HashMap<>();
    entries.forEach(entry -> counts.merge(entry, 1, Integer::sum));
    return counts;
  }

  private static String firstDifference(List<String> want, List<String> got) {
    for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
      String w = i < want.size() ? want.get(i) : "(none)";
      String g = i < got.size() ? got.get(i) : "(none)";
      if (!w.equals(g)) {
        return "#" + i + ": expected " + w + ", judged " + g;
      }
    }
    return "(none)";
  }

  private static String preview(String entry) {
    return entry.length() <= 160 ? entry : entry.substring(0, 160) + "… (" + entry.length() + " chars)";
  }

  private static long percentile99(List<Long> values) {
    if (values.isEmpty()) {
      return 0;
    }
    org.HdrHistogram.Histogram histogram = new org.HdrHistogram.Histogram(3);
    values.forEach(histogram::recordValue);
    return histogram.getValueAtPercentile(99);
  }

}
