package io.chamberlain.system.live;

import io.chamberlain.domain.ChamberKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What {@link AuditRules} found: the violations (empty when every guarantee held) and the numbers a
 * scenario logs — latency, moved chambers, who owned what when, how long chambers went without a
 * verdict. {@code lost} counts published contexts without a verdict, {@code duplicated} those with
 * more than one in the stream; {@code verdictsByChamber} holds each context's first verdict, in
 * stream order.
 */
public record AuditReport(int published, int streamMessages, int lost, int duplicated, List<String> violations,
    Map<String, Integer> violationCounts, Map<ChamberKey, List<Verdict>> verdictsByChamber) {

  /** Consecutive verdicts of one chamber by one defender. */
  public record Run(String defender, long firstPublishedAt, long lastPublishedAt, int verdicts) {
  }

  /** A chamber changing defender: the new owner's first verdict was published at {@code at}. */
  public record Handover(ChamberKey chamber, String from, String to, long at) {
  }

  public AuditReport {
    violations = List.copyOf(violations);
    violationCounts = Map.copyOf(violationCounts);
    Map<ChamberKey, List<Verdict>> copy = new TreeMap<>();
    verdictsByChamber.forEach((chamber, verdicts) -> copy.put(chamber, List.copyOf(verdicts)));
    verdictsByChamber = Collections.unmodifiableMap(copy);
  }

  public boolean clean() {
    return violations.isEmpty();
  }

  /** How many times {@code rule} (lost, duplicated, order, exclusivity, state, …) was broken. */
  public int violations(String rule) {
    return violationCounts.getOrDefault(rule, 0);
  }

  /** Chambers whose verdicts are out of publish order (counted once per chamber). */
  public int orderViolations() {
    return violations("order");
  }

  /** Per context id, its first verdict in the stream. */
  public Map<String, Verdict> firstVerdicts() {
    Map<String, Verdict> first = new java.util.HashMap<>();
    allVerdicts().forEach(verdict -> first.putIfAbsent(verdict.contextId(), verdict));
    return first;
  }

  /** Verdicts published in [{@code from}, {@code to}) (epoch ms, defender-stamped). */
  public List<Verdict> verdictsBetween(long from, long to) {
    return allVerdicts().stream().filter(v -> v.publishedAt() >= from && v.publishedAt() < to).toList();
  }

  /** The largest completion → verdict latency (ms) over all verdicts. */
  public long maxLatencyMillis() {
    return allVerdicts().stream().mapToLong(Verdict::latencyMillis).max().orElse(0);
  }

  /** The largest latency (ms) of events completed at or after {@code completedFrom} (epoch ms). */
  public long maxLatencyMillisSince(long completedFrom) {
    return allVerdicts().stream().filter(v -> v.completedAt() >= completedFrom).mapToLong(Verdict::latencyMillis)
        .max().orElse(0);
  }

  /** The largest latency (ms) of {@code defender}'s verdicts for events completed in [{@code from}, {@code to}]. */
  public long maxLatencyMillis(String defender, long completedFrom, long completedTo) {
    return allVerdicts().stream()
        .filter(v -> v.defender().equals(defender) && v.completedAt() >= completedFrom && v.completedAt() <= completedTo)
        .mapToLong(Verdict::latencyMillis).max().orElse(0);
  }

  /** Completion → verdict latency (defender-stamped) of every verdict: count, p50 / p99 (HdrHistogram), max. */
  public LatencySummary latencySummary() {
    LatencySummary.Builder latencies = new LatencySummary.Builder();
    allVerdicts().forEach(verdict -> latencies.accept(verdict.latencyMillis()));
    return latencies.build();
  }

  /** Per chamber, the defenders in the order they processed it (one entry per run). */
  public Map<ChamberKey, List<Run>> runs() {
    Map<ChamberKey, List<Run>> runs = new TreeMap<>();
    verdictsByChamber.forEach((chamber, verdicts) -> runs.put(chamber, runsOf(verdicts)));
    return runs;
  }

  /** Chambers processed by more than one defender over the audited period. */
  public Set<ChamberKey> movedChambers() {
    return runs().entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Every handover whose new owner's first verdict was published in [{@code from}, {@code to}), by time. */
  public List<Handover> handovers(long from, long to) {
    List<Handover> handovers = new ArrayList<>();
    runs().forEach((chamber, runs) -> {
      for (int i = 1; i < runs.size(); i++) {
        long at = runs.get(i).firstPublishedAt();
        if (at >= from && at < to) {
          handovers.add(new Handover(chamber, runs.get(i - 1).defender(), runs.get(i).defender(), at));
        }
      }
    });
    handovers.sort(java.util.Comparator.comparingLong(Handover::at));
    return handovers;
  }

  /** Per chamber, the defender of its last verdict published before {@code instant} (epoch ms). */
  public Map<ChamberKey, String> ownersBefore(long instant) {
    Map<ChamberKey, String> owners = new TreeMap<>();
    verdictsByChamber.forEach((chamber, verdicts) -> verdicts.stream().filter(v -> v.publishedAt() < instant)
        .reduce((first, second) -> second).ifPresent(v -> owners.put(chamber, v.defender())));
    return owners;
  }

  /** The first verdict of {@code chamber} published after {@code instant} by a defender other than {@code excluded}. */
  public Optional<Verdict> firstVerdictAfter(ChamberKey chamber, long instant, String excluded) {
    return verdictsByChamber.getOrDefault(chamber, List.of()).stream()
        .filter(v -> v.publishedAt() > instant && !v.defender().equals(excluded)).findFirst();
  }

  /** The longest time (ms) {@code chamber} went without a verdict between {@code from} and {@code to}. */
  public long longestGapMillis(ChamberKey chamber, long from, long to) {
    long previous = from;
    long longest = 0;
    for (Verdict verdict : verdictsByChamber.getOrDefault(chamber, List.of())) {
      if (verdict.publishedAt() > from && verdict.publishedAt() <= to) {
        longest = Math.max(longest, verdict.publishedAt() - previous);
        previous = verdict.publishedAt();
      }
    }
    return Math.max(longest, to - previous);
  }

  /** One line for the log: counts, latency, moved chambers, and the violations if any. */
  public String summary() {
    return String.format("published %d, verdicts in stream %d, latency max %d ms p99 %d ms, moved chambers %d%s",
        published, streamMessages, maxLatencyMillis(), latencySummary().p99(), movedChambers().size(),
        clean() ? ", no violations" : ", VIOLATIONS:\n  " + String.join("\n  ", violations));
  }

  static List<Run> runsOf(List<Verdict> verdicts) {
    List<Run> runs = new ArrayList<>();
    for (Verdict verdict : verdicts) {
      Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && last.defender().equals(verdict.defender())) {
        runs.set(runs.size() - 1, new Run(last.defender(), last.firstPublishedAt(),
            Math.max(last.lastPublishedAt(), verdict.publishedAt()), last.verdicts() + 1));
      } else {
        runs.add(new Run(verdict.defender(), verdict.publishedAt(), verdict.publishedAt(), 1));
      }
    }
    return runs;
  }

  private List<Verdict> allVerdicts() {
    return verdictsByChamber.values().stream().flatMap(List::stream).toList();
  }
}
