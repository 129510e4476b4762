package io.chamberlain.system.bench;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The bench's markdown table: one row per run, the raw baseline above it. */
final class BenchTable {

  private BenchTable() {
  }

  static String markdown(RawJetStreamBaseline.Rates raw, List<BenchRow> rows) {
    StringBuilder table = new StringBuilder();
    table.append(String.format("Raw JetStream on the same server (%d messages of a completion's size): publish %.0f/s, "
        + "consume + ack %.0f/s, publish then consume %.0f/s.%n%n", raw.messages(), raw.publish(), raw.consumeAck(),
        raw.publishThenConsume()));
    table.append("| defense | run | events | achieved (events/s) | p50 (ms) | p99 (ms) | p999 (ms) | max (ms) | lost "
        + "| duplicated | CPU cores: gateway / workers / nats / harness | peak RSS MiB: gateway / worker (max) / nats "
        + "| share of raw consume + ack |\n");
    table.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (BenchRow row : rows) {
      table.append(String.format("| %s | %s | %d | %.0f | %d | %d | %d | %d | %d | %d | %.2f / %.2f / %.2f / %.2f | %d / %d / %d | %s |%n",
          row.defense(), row.run(), row.events(), row.throughput(), row.p50(), row.p99(), row.p999(), row.max(),
          row.lost(), row.duplicated(),
          cores(row.uses(), name -> name.startsWith("gateway")), cores(row.uses(), name -> name.startsWith("defender")),
          cores(row.uses(), "nats"::equals), cores(row.uses(), PipelineBenchCommand.HARNESS::equals),
          peakRss(row.uses(), name -> name.startsWith("gateway")), peakRss(row.uses(), name -> name.startsWith("defender")),
          peakRss(row.uses(), "nats"::equals),
          row.run().equals("saturation") ? String.format("%.1f %%", 100 * row.throughput() / raw.consumeAck()) : ""));
    }
    return table.toString();
  }

  private static double cores(Map<String, ProcessStats.Use> uses, Predicate<String> which) {
    return uses.entrySet().stream().filter(e -> which.test(e.getKey())).mapToDouble(e -> e.getValue().cores()).sum();
  }

  private static long peakRss(Map<String, ProcessStats.Use> uses, Predicate<String> which) {
    return uses.entrySet().stream().filter(e -> which.test(e.getKey())).mapToLong(e -> e.getValue().peakRssMiB())
        .max().orElse(0);
  }
}
