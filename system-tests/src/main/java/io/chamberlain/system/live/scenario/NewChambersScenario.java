package io.chamberlain.system.live.scenario;

import static io.chamberlain.testkit.TestTimeouts.seconds;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.AssignmentView;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.LatencySummary;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import io.chamberlain.system.live.PublishedEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Chambers no catalog lists appear all at once, each with its first event, published as fast as an
 * independent client can (2 gateways, 4 workers, product defaults). The product discovers each from
 * its first event and must place it at once (DESIGN.md: "a new chamber's first verdict ≤ 1 s after its
 * event is published").
 *
 * <ul>
 *   <li>{@code new-chambers-1000} — the standard load runs on the 300 catalog chambers; then 1,000
 *       new chambers get one event each. Targets: every new chamber's first verdict ≤ 1 s; no breach
 *       among the 300 (the newcomers must not slow the fab down).
 *   <li>{@code new-chambers-6000} — a fab's first start without a chamber file: empty catalog, 4
 *       workers settled, then 6,000 new chambers one event each. Target: p99 ≤ 3 s.
 * </ul>
 * Invariants: the audit (each new chamber's one event judged exactly once); every new chamber owned
 * at the end. Reported: the new chambers' first-verdict latency p50 / p99 / max, and the catalog
 * chambers whose home changed to make room for the newcomers ("moved").
 */
public final class NewChambersScenario extends LiveScenario {

  private static final List<String> DEFENDERS = defenders(4);

  private final int newChambers;
  private final boolean withCatalog;

  private NewChambersScenario(Profile profile, int newChambers, boolean withCatalog, String description,
      String target) {
    super(profile, "new-chambers-" + newChambers, description, "— (static chamber list)",
        "a new key lands on its hashed partition at once; no weight", target);
    this.newChambers = newChambers;
    this.withCatalog = withCatalog;
  }

  public static NewChambersScenario thousand(Profile profile) {
    return new NewChambersScenario(profile, 1_000, true,
        "standard load on 300 catalog chambers; 1,000 chambers in no catalog get one event each at once",
        "each new chamber's first verdict ≤ 1 s; the 300 unaffected");
  }

  public static NewChambersScenario sixThousand(Profile profile) {
    return new NewChambersScenario(profile, 6_000, false,
        "first start without a chamber file: empty catalog, 4 workers, then 6,000 new chambers one event each",
        "p99 ≤ 3 s");
  }

  @Override
  protected ClusterOptions options() {
    return super.options().withGatewaySlots(2).withWorkerSlots(DEFENDERS.size());
  }

  /** Chambers {@code nw0001:1}, {@code nw0002:1}, … — in no catalog. */
  static List<ChamberKey> unknownChambers(int count) {
    List<ChamberKey> chambers = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      chambers.add(new ChamberKey(String.format("nw%04d", i), "1"));
    }
    return chambers;
  }

  @Override
  protected void play(ProcessCluster cluster, ScenarioResult result) {
    List<ChamberKey> catalog = withCatalog ? chambers() : List.of();
    startCluster(cluster, catalog, withCatalog ? DEFENDERS : List.of());
    if (!withCatalog) {
      DEFENDERS.forEach(cluster::startWorker);
      cluster.awaitSettled("4 defenders, empty catalog", view -> view.stableOn(Set.copyOf(DEFENDERS)), seconds(120));
    }
    try (Load load = withCatalog ? Load.start(cluster, catalog, rate()) : Load.bursts(cluster)) {
      if (withCatalog) {
        load.awaitTraffic(5);
      }
      List<ChamberKey> fresh = unknownChambers(newChambers);
      AssignmentView before = homes(cluster);
      long burstAt = System.currentTimeMillis();
      List<PublishedEvent> burst = load.burst(fresh);
      long burstMillis = burst.stream().mapToLong(PublishedEvent::sentAt).max().orElse(burstAt) - burstAt;
      result.detail("burst published", burst.size() + " events in " + burstMillis + " ms");
      if (withCatalog) {
        load.awaitTraffic(10);
      }
      Set<ChamberKey> all = new HashSet<>(catalog);
      all.addAll(fresh);
      cluster.awaitSettled("4 defenders owning " + all.size() + " chambers", view -> view.settledOn(Set.copyOf(DEFENDERS))
          && view.chambers() == all.size(), seconds(120));
      AssignmentView end = homes(cluster);

      Load.Outcome outcome = load.audit(cluster, result, seconds(120));
      recordMovement(result, outcome, before, end, burstAt, Long.MAX_VALUE, null);
      result.invariant("every chamber owned at the end (" + all.size() + ")", end.owners().keySet().containsAll(all),
          (all.size() - end.owners().keySet().stream().filter(all::contains).count()) + " unowned");
      Predicate<io.chamberlain.system.live.Latencies.Timed> isNew = ofChambers(Set.copyOf(fresh));
      LatencySummary first = outcome.latencies().summary(isNew);
      result.recovery("new chambers' first verdict", first.shortText());
      if (withCatalog) {
        result.target("every new chamber's first verdict ≤ 1,000 ms", first.count() == fresh.size() && first.max() <= 1_000,
            first.count() + " judged, " + first.shortText());
        slaTarget(result, outcome.latencies(), "the 300 catalog chambers", isNew.negate());
      } else {
        result.target("p99 of the new chambers' first verdicts ≤ 3,000 ms", first.count() == fresh.size()
            && first.p99() <= 3_000, first.count() + " judged, " + first.shortText());
        slaTarget(result, outcome.latencies());
      }
    }
  }
}
