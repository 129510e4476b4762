package io.chamberlain.cluster;

import io.chamberlain.leader.Drains;
import io.chamberlain.leader.LeaderDecision;
import io.chamberlain.leader.LeaderInput;
import io.chamberlain.wire.HistoryEntry;
import io.chamberlain.wire.Subjects;
import io.chamberlain.capacity.CapacityPlanner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * What the active leader did, for operators: every takeover, state change, published assignment
 * and defender event becomes a {@link HistoryEntry} on {@link Subjects#HISTORY} (kept by the
 * history stream, read by every gateway) and a Prometheus metric of this node. Publishing is
 * fire-and-forget on purpose: the history must never slow down or fail a leader decision.
 *
 * <p>The capacity plan ({@link CapacityPlanner}) is exported as gauges only while this node leads
 * ({@link #close} removes them), so an autoscaler reading {@code chamberlain_defenders_needed} sees
 * one value, the leader's.
 */
final class LeaderJournal {

  private static final System.Logger LOG = System.getLogger(LeaderJournal.class.getName());

  private final Connection nats;
  private final Counter takeovers;
  private final Counter published;
  private final Counter chambersMoved;
  private final Counter weightMoved;
  private final Counter leasesLent;
  private final Counter leasesReturned;
  private final Counter heartbeatsMissed;
  private final Counter declaredDead;
  private final Timer decisionTime;
  private final MeterRegistry registry;
  private final AtomicReference<CapacityPlanner.Plan> plan = new AtomicReference<>();
  private final List<Meter> capacityGauges;

  LeaderJournal(Connection nats, MeterRegistry registry) {
    this.nats = nats;
    this.takeovers = Counter.builder("chamberlain.leader.takeovers")
        .description("terms this node started leading (a leader change, or the first leader)").register(registry);
    this.published = Counter.builder("chamberlain.assignments.published")
        .description("assignment epochs this node published as leader").register(registry);
    this.chambersMoved = Counter.builder("chamberlain.chambers.moved")
        .description("chambers whose home changed (first placements included)").register(registry);
    this.weightMoved = Counter.builder("chamberlain.weight.moved")
        .description("weight of the chambers whose home changed").register(registry);
    this.leasesLent = Counter.builder("chamberlain.leases").tag("change", "lent")
        .description("chambers lent to a deputy while their home restarts, and handed back").register(registry);
    this.leasesReturned = Counter.builder("chamberlain.leases").tag("change", "returned")
        .description("chambers lent to a deputy while their home restarts, and handed back").register(registry);
    this.heartbeatsMissed = Counter.builder("chamberlain.heartbeats.missed")
        .description("defenders declared dead because their heartbeats stopped").register(registry);
    this.declaredDead = Counter.builder("chamberlain.defenders.dead")
        .description("defenders declared dead (silence, restart grace over, cluster member lost)").register(registry);
    this.decisionTime = Timer.builder("chamberlain.rebalance.duration")
        .description("time the leader took to compute an assignment it published (engine and leases)")
        .publishPercentiles(0.5, 0.99).register(registry);
    this.registry = registry;
    this.capacityGauges = List.of(
        planGauge("chamberlain.defenders.needed", CapacityPlanner.Plan::defendersNeeded,
            "defenders of capacity 1.0 the measured work needs at the target utilisation (autoscale on this)"),
        planGauge("chamberlain.defenders.surplus", CapacityPlanner.Plan::surplus,
            "live capacity minus what is needed (negative: too few defenders)"),
        planGauge("chamberlain.work.millis.per.second", CapacityPlanner.Plan::workMillisPerSecond,
            "measured defense work of every chamber, ms per second"),
        planGauge("chamberlain.chambers.over.one.defender", CapacityPlanner.Plan::chambersOverOneDefender,
            "chambers whose own work is more than one defender does at the target"),
        planGauge("chamberlain.chambers.slower.than.sla", CapacityPlanner.Plan::chambersSlowerThanSla,
            "chambers whose defense alone takes longer than the SLA"));
  }

  private Meter planGauge(String name, ToDoubleFunction<CapacityPlanner.Plan> value, String description) {
    return Gauge.builder(name, plan, held -> held.get() == null ? Double.NaN : value.applyAsDouble(held.get()))
        .description(description).register(registry);
  }

  /** The newest capacity plan, exported by the gauges. */
  void capacity(CapacityPlanner.Plan latest) {
    plan.set(latest);
  }

  /** This node no longer leads: its capacity gauges go, so only the leader's are scraped. */
  void close() {
    capacityGauges.forEach(registry::remove);
  }

  void tookOver(long at, long term, long epoch, String summary) {
    takeovers.increment();
    record(HistoryEntry.leaderElected(at, term, epoch, summary));
  }

  /** The defender inputs worth a line: joins, restarts, leaves, losses (heartbeats are not). */
  void input(LeaderInput input, long term, long epoch) {
    if (input instanceof LeaderInput.DefenderJoined joined) {
      record(HistoryEntry.defender(input.atMillis(), term, epoch, joined.defenderId(), "defender [" + joined.defenderId()
          + "] joined (version " + joined.version() + ", capacity " + joined.capacity() + ")"));
    } else if (input instanceof LeaderInput.RestartAnnounced restart) {
      record(HistoryEntry.defender(input.atMillis(), term, epoch, restart.defenderId(), "defender [" + restart.defenderId()
          + "] announced a restart"));
    } else if (input instanceof LeaderInput.DefenderLost lost) {
      record(HistoryEntry.defender(input.atMillis(), term, epoch, lost.defenderId(), "defender [" + lost.defenderId()
          + "] lost: " + lost.cause()));
    }
  }

  void drainChanged(long at, long term, long epoch, Drains.Change change) {
    String defenderId = change.defenderId();
    record(HistoryEntry.defender(at, term, epoch, defenderId, "defender [" + defenderId + "] "
        + (change.drained() ? "drained " + change.reason().text() + ": its chambers move away"
            : "undrained " + change.reason().text())));
  }

  void decided(LeaderDecision decision, long at, long term, long epoch) {
    if (decision instanceof LeaderDecision.StateChanged changed) {
      record(HistoryEntry.stateChanged(at, term, epoch, changed.from().name(), changed.to().name(), changed.cause().describe()));
    } else if (decision instanceof LeaderDecision.DefenderDeclaredDead dead) {
      declaredDead.increment();
      if (dead.cause() == LeaderDecision.DefenderDeclaredDead.DeathCause.MISSED_HEARTBEATS) {
        heartbeatsMissed.increment();
      }
      record(HistoryEntry.defender(at, term, epoch, dead.defenderId(), "defender [" + dead.defenderId()
          + "] declared dead: " + dead.reason()));
    }
  }

  /** An assignment was published; {@code computeNanos} is what the decision that produced it took. */
  void published(HistoryEntry entry, long computeNanos) {
    published.increment();
    chambersMoved.increment(entry.movedChambers());
    weightMoved.increment(entry.movedWeight());
    leasesLent.increment(entry.leasesLent());
    leasesReturned.increment(entry.leasesReturned());
    decisionTime.record(Duration.ofNanos(computeNanos));
    record(entry);
  }

  private void record(HistoryEntry entry) {
    try {
      nats.publish(Subjects.HISTORY, entry.toJson().encode().getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "leader: history entry not published: " + e);
    }
  }
}
