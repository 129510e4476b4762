package io.chamberlain.bench;

import java.util.List;
import java.util.Locale;

/** Renders scenario outcomes as a markdown table: Chamberlain, the reference design, Kafka-style baseline. */
final class ScenarioReport {

  private ScenarioReport() {
  }

  static String markdown(int chambers, long seed, List<ScenarioRunner.Outcome> outcomes) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "### %,d chambers (seed %d)%n%n", chambers, seed));
    out.append("| scenario | system | all chambers owned again after | balanced (±3 %) after last change"
        + " | assignments published | chambers moved | weight moved / minimum | max load / fair | min load / fair |\n");
    out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (ScenarioRunner.Outcome o : outcomes) {
      String minimum = o.minimumWeight() == null
          ? "— (initial placement)"
          : String.format(Locale.ROOT, "%s / %s (%s)", millions(o.movedWeight()), millions(o.minimumWeight()),
              o.minimumWeight() > 0 ? String.format(Locale.ROOT, "%.3f ×", o.movedWeight() / o.minimumWeight())
                  : o.movedWeight() == 0 ? "none needed, none moved" : "none needed");
      out.append(String.format(Locale.ROOT, "| %s | **Chamberlain** (simulated) | %s | %s | %d | %,d | %s | %.3f | %.3f |%n",
          o.scenario().title, seconds(o.allOwnedAfterMillis()),
          o.balancedAfterMillis() == null ? "never (granularity)"
              : String.format(Locale.ROOT, "%.2f s", o.balancedAfterMillis() / 1000.0),
          o.published(), o.movedChambers(), minimum, o.maxOverFair(), o.minOverFair()));
      out.append(String.format(Locale.ROOT, "| | reference design (000) | %s | — | — | — | — | \"weighted\" | — |%n",
          o.scenario().referenceDesign));
      KafkaBaseline.Outcome k = o.kafka();
      boolean coldStart = o.minimumWeight() == null;
      out.append(String.format(Locale.ROOT, "| | Kafka-style, 64 partitions (sticky, by count) | %s | never (count-based) | — | %s | %s | %.3f | %s |%n",
          o.scenario().kafkaMeasured, coldStart ? "—" : String.format(Locale.ROOT, "%,d", k.movedChambers()),
          coldStart ? "—" : millions(k.movedWeight()), k.maxOverFair(),
          k.idleConsumers() > 0 ? k.idleConsumers() + " idle consumers" : "—"));
    }
    out.append('\n');
    return out.toString();
  }

  static String notes() {
    return """
        Chamberlain rows: the real leader state machine and assignment engine on a virtual clock with the \
        default tuning; defenders heartbeat every %d ms, run an assignment %d ms after it is published, and a \
        killed member is dropped by the cluster after %d ms. "All chambers owned again after" is the longest \
        span in which some chamber was not served by a running defender (for a rolling update, each down %d s: \
        one handoff, since a restarting defender's chambers are lent to deputies and handed back; its home \
        never changes). Minimum = the engine's honest lower bound from the \
        assignment at the start to the final defenders (orphans + max(excess, deficit)). Kafka-style rows: \
        murmur2(key) %% 64, partitions spread by count (round-robin, then cooperative-sticky); its times are \
        the measured Kafka 4.4 numbers from DESIGN.md; balance and moves are computed on the same population.
        """.formatted(SimulatedCluster.HEARTBEAT_MILLIS, SimulatedCluster.APPLY_LATENCY_MILLIS,
        SimulatedCluster.MEMBER_REMOVED_DELAY_MILLIS, Scenario.RESTART_DOWN_MILLIS / 1000);
  }

  private static String seconds(long millis) {
    return millis == 0 ? "0 s (never unowned)" : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }

  private static String millions(double weight) {
    return String.format(Locale.ROOT, "%.1f M", weight / 1e6);
  }
}
