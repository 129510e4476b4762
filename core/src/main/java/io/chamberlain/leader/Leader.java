package io.chamberlain.leader;

import io.chamberlain.assign.Assignment;
import io.chamberlain.assign.AssignmentEngine;
import io.chamberlain.assign.AssignmentMode;
import io.chamberlain.assign.AssignmentResult;
import io.chamberlain.assign.DefenderSpec;
import io.chamberlain.assign.LeaseChanges;
import io.chamberlain.assign.LeasePlanner;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.leader.LeaderDecision.DefenderDeclaredDead;
import io.chamberlain.leader.LeaderDecision.DefenderDeclaredDead.DeathCause;
import io.chamberlain.leader.LeaderDecision.InputIgnored;
import io.chamberlain.leader.LeaderDecision.PublishAssignment;
import io.chamberlain.leader.LeaderDecision.StateChanged;
import io.chamberlain.leader.LeaderInput.ChamberRegistered;
import io.chamberlain.leader.LeaderInput.ChamberRemoved;
import io.chamberlain.leader.LeaderInput.DefenderJoined;
import io.chamberlain.leader.LeaderInput.DefenderLeft;
import io.chamberlain.leader.LeaderInput.DefenderLost;
import io.chamberlain.leader.LeaderInput.DefenderSuspected;
import io.chamberlain.leader.LeaderInput.HeartbeatReceived;
import io.chamberlain.leader.LeaderInput.RebalanceRequested;
import io.chamberlain.leader.LeaderInput.RestartAnnounced;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The assignment controller's brain: a pure state machine. Inputs ({@link LeaderInput}: joins,
 * heartbeats, restarts, leaves, losses, chamber changes, timers) go in with the leader's clock
 * time; {@link LeaderDecision}s come out (publish an assignment, set a timer, state changed).
 * No I/O, no threads, no wall clock: the HA verticle feeds it, and carries out decisions in order
 * (persist the assignment with compare-and-set on its epoch, then broadcast); the simulator drives
 * it with a virtual clock.
 *
 * <p><b>Who decides.</b> Exactly one leader is active (cluster lock + fencing epoch, outside this
 * class). It alone computes assignments; every published assignment carries the previous epoch
 * + 1, so a deposed leader's later write fails the compare-and-set.
 *
 * <p><b>What is deterministic.</b> The {@link AssignmentEngine} is a pure function of (previous
 * assignment, chamber weights, owning defenders, held defenders). A newly elected leader
 * {@linkplain #resume resumes} from the persisted assignment — its owners are presumed live until
 * their heartbeats say otherwise — so it republishes nothing and reshuffles nothing.
 *
 * <p><b>Protocol per situation.</b>
 * <ul>
 *   <li>{@link LeaderState#COLD_START}: the first round is published a short quiet period after
 *       the first join (capped), so chambers are owned at once; while joins keep coming one
 *       intermediate round follows; the final round comes after a settle quiet period. ≤ 3 rounds.
 *   <li>{@link LeaderState#SCALING}: joins and graceful leaves are batched (quiet period, capped
 *       window), then one incremental rebalance. A leaving defender keeps its chambers until then.
 *   <li>{@link LeaderState#ROLLING_UPDATE}: an announced restart holds the defender's
 *       <em>home</em> chambers for the grace period (it neither sheds nor receives) and, at once,
 *       <em>lends</em> them to deputies ({@link LeasePlanner}: live defenders, balanced by weight),
 *       so its chambers are served while it restarts — a JVM start and cluster join take longer
 *       than the 5 s SLA. When it joins again with the same id in time, the leases end at once:
 *       exactly its chambers are handed back, nothing else changes, zero moves. Not back in time is
 *       a crash — and its chambers stay with the deputies that serve them (the leases are folded
 *       into homes), so giving up moves nothing either. A same-id join with a new version while
 *       still live is an unannounced restart, also zero moves.
 *   <li>{@link LeaderState#EMERGENCY}: a defender lost by the cluster, silent for
 *       {@link LeaderTuning#deadAfterMillis()} (or {@link LeaderTuning#suspectedSilenceMillis()}
 *       once a gateway suspects it) or past its grace is declared dead and only its chambers are
 *       placed over the others, immediately; chambers it served as a deputy get another deputy. A
 *       dead defender that joins again is new capacity: sticky, nothing moves back unless balance
 *       needs it.
 * </ul>
 * Every publication carries the homes and the leases; it is published whenever either changes,
 * and says what moved ({@link AssignmentSummary}) apart from what was lent or returned
 * ({@link LeaseChanges}).
 * Timers are advisory: on any {@link LeaderInput.TimerFired} the leader runs whatever is due at
 * that time, so early, late or stale firings are harmless.
 */
public final class Leader {

  private static final long NONE = TimerBook.NONE;

  private final LeaderTuning tuning;
  private final AssignmentEngine engine;
  private final TreeMap<ChamberKey, Double> chambers;
  private final DefenderTable defenders = new DefenderTable();
  private final ColdStart coldStart;
  private final TimerBook timers = new TimerBook();
  private LeaderState state;
  private long stateSince;
  private Assignment assignment;
  private long now;
  private long scalingFirstChangeAt = NONE;
  private long scalingLastChangeAt = NONE;
  private long chamberBatchAt = NONE;
  private long emergencyUntil = NONE;
  private long nextHeartbeatCheckAt = NONE;
  private boolean orphansWaitForOwner;
  /** A resumed assignment whose leases do not match who is restarting: publish it corrected. */
  private boolean leasesStale;

  private Leader(LeaderTuning tuning, AssignmentEngine engine, SortedMap<ChamberKey, Double> chambers,
      Assignment assignment, LeaderState state, long nowMillis) {
    this.tuning = tuning;
    this.engine = engine;
    this.chambers = new TreeMap<>(chambers);
    this.assignment = assignment;
    this.state = state;
    this.stateSince = nowMillis;
    this.now = nowMillis;
    this.coldStart = new ColdStart(tuning);
  }

  /** A leader for a cluster with nothing assigned yet. */
  public static Leader coldStart(LeaderTuning tuning, AssignmentEngine engine,
      SortedMap<ChamberKey, Double> chambers, long nowMillis) {
    return new Leader(tuning, engine, chambers, Assignment.EMPTY, LeaderState.COLD_START, nowMillis);
  }

  /**
   * A newly elected leader continuing from the persisted assignment. Its owners are presumed live
   * (capacity 1.0 until they rejoin) and must heartbeat within {@link LeaderTuning#deadAfterMillis()};
   * chambers missing from it are placed after the chamber batch window. Call {@link #start()} next.
   */
  public static Leader resume(LeaderTuning tuning, AssignmentEngine engine, SortedMap<ChamberKey, Double> chambers,
      Assignment persisted, long nowMillis) {
    return resume(tuning, engine, chambers, persisted, Map.of(), nowMillis);
  }

  /**
   * As {@link #resume(LeaderTuning, AssignmentEngine, SortedMap, Assignment, long)}, also taking over
   * the restarts the previous leader was holding ({@link #restartHolds()}, as it persisted them):
   * those defenders keep their chambers until their grace ends — the previous leader may well have
   * run on the very node that is restarting.
   */
  public static Leader resume(LeaderTuning tuning, AssignmentEngine engine, SortedMap<ChamberKey, Double> chambers,
      Assignment persisted, Map<String, Long> restartHolds, long nowMillis) {
    Leader leader = new Leader(tuning, engine, chambers, persisted, LeaderState.STABLE, nowMillis);
    Set<String> presumedLive = new TreeSet<>(persisted.byDefender().keySet());
    presumedLive.addAll(persisted.leases().values());
    for (String owner : presumedLive) {
      leader.defenders.add(owner, "unknown", DefenderSpec.DEFAULT_CAPACITY, nowMillis);
    }
    restartHolds.forEach((defenderId, graceUntil) -> {
      DefenderTable.Row row = leader.defenders.get(defenderId);
      if (row == null) {
        row = leader.defenders.add(defenderId, "unknown", DefenderSpec.DEFAULT_CAPACITY, nowMillis);
      }
      row.status = DefenderStatus.RESTARTING;
      row.restartGraceUntilMillis = graceUntil;
    });
    leader.nextHeartbeatCheckAt = nowMillis + tuning.heartbeatIntervalMillis();
    leader.chamberBatchAt = nowMillis + tuning.chamberBatchMillis();
    leader.leasesStale = !leader.plannedLeases(persisted).equals(persisted.leases());
    return leader;
  }

  /** The timers a fresh or resumed leader needs. */
  public List<LeaderDecision> start() {
    return handle(new LeaderInput.Started(now));
  }

  public LeaderState state() {
    return state;
  }

  /** When the leader entered its current {@link #state()} (this instance's clock; a resumed leader starts in STABLE). */
  public long stateSinceMillis() {
    return stateSince;
  }

  /** The last published (or resumed) assignment. */
  public Assignment assignment() {
    return assignment;
  }

  public SortedMap<String, DefenderStatus> defenderStatuses() {
    return defenders.statuses();
  }

  public SortedMap<ChamberKey, Double> chambers() {
    return Collections.unmodifiableSortedMap(chambers);
  }

  /**
   * Defenders held for an announced restart, with the leader-clock time their grace ends. The
   * adapter persists these with the assignment, so a leader elected meanwhile keeps holding them.
   */
  public SortedMap<String, Long> restartHolds() {
    return defenders.restartHolds();
  }

  /**
   * @throws IllegalArgumentException if the input is older than an earlier one
   */
  public List<LeaderDecision> handle(LeaderInput input) {
    if (input.atMillis() < now) {
      throw new IllegalArgumentException("leader: input at " + input.atMillis()
          + " ms is earlier than the leader's clock (" + now + " ms); time must not go backwards: " + input);
    }
    List<LeaderDecision> out = new ArrayList<>();
    noticePause(input.atMillis(), out);
    now = input.atMillis();
    // Exhaustive over the sealed inputs: a new kind of input does not compile until it is handled here.
    switch (input) {
      case DefenderJoined joined -> onJoined(joined, out);
      case HeartbeatReceived heartbeat -> onHeartbeat(heartbeat, out);
      case RestartAnnounced restart -> onRestartAnnounced(restart, out);
      case DefenderLeft left -> onLeft(left, out);
      case DefenderLost lost -> onLost(lost, out);
      case DefenderSuspected suspected -> onSuspected(suspected, out);
      case ChamberRegistered registered -> onChamberRegistered(registered);
      case ChamberRemoved removed -> onChamberRemoved(removed, out);
      case RebalanceRequested requested -> onRebalanceRequested(requested, out);
      case LeaderInput.Started started -> { } // whatever is due runs below
      case LeaderInput.TimerFired timer -> { } // whatever is due runs below, whichever timer fired
    }
    runDueWork(out);
    settleState(input, out);
    announceTimers(out);
    return out;
  }

  /**
   * The heartbeat check fires every interval; an input that finds it overdue by more than an
   * interval means this leader was not running meanwhile. Declaring every defender dead for a
   * silence the leader caused would empty the assignment, so their silence clocks restart.
   */
  private void noticePause(long at, List<LeaderDecision> out) {
    long overdue = nextHeartbeatCheckAt == NONE ? 0 : at - nextHeartbeatCheckAt;
    if (overdue > tuning.heartbeatIntervalMillis()) {
      defenders.restartSilenceClocks(at);
      out.add(new LeaderDecision.LeaderPaused(overdue + tuning.heartbeatIntervalMillis()));
    }
  }

  private void onJoined(DefenderJoined joined, List<LeaderDecision> out) {
    DefenderTable.Row row = defenders.get(joined.defenderId());
    if (nextHeartbeatCheckAt == NONE) {
      nextHeartbeatCheckAt = now + tuning.heartbeatIntervalMillis();
    }
    if (row == null || row.status == DefenderStatus.DEAD) {
      defenders.add(joined.defenderId(), joined.version(), joined.capacity(), now);
      topologyChanged();
      if (orphansWaitForOwner && state != LeaderState.COLD_START) {
        publish(AssignmentMode.PLACE_ORPHANS_ONLY, "defender [" + joined.defenderId() + "] takes orphans", out);
      } else if (!plannedLeases(assignment).equals(assignment.leases())) {
        // Chambers of a restarting defender were waiting for a deputy: here is one.
        publishLeases("defender [" + joined.defenderId() + "] joined: deputy for restarting defenders", out);
      }
      return;
    }
    // Same id again: back from a restart, an unannounced restart, a duplicate, or a changed mind.
    boolean backFromRestart = row.status == DefenderStatus.RESTARTING;
    row.status = DefenderStatus.LIVE;
    row.version = joined.version();
    row.lastHeartbeatMillis = now;
    row.suspicion = null;
    if (row.capacity != joined.capacity()) {
      row.capacity = joined.capacity();
      topologyChanged();
    }
    if (backFromRestart) {
      publishLeases("defender [" + joined.defenderId() + "] back: its chambers handed back", out);
    }
  }

  private void onHeartbeat(HeartbeatReceived heartbeat, List<LeaderDecision> out) {
    DefenderTable.Row row = defenders.get(heartbeat.defenderId());
    if (row == null || row.status == DefenderStatus.DEAD || row.status == DefenderStatus.RESTARTING) {
      out.add(new InputIgnored(heartbeat, "defender [" + heartbeat.defenderId() + "] is "
          + (row == null ? "unknown" : row.status) + "; it must join"));
      return;
    }
    row.lastHeartbeatMillis = now;
    row.suspicion = null;
  }

  private void onRestartAnnounced(RestartAnnounced restart, List<LeaderDecision> out) {
    DefenderTable.Row row = defenders.get(restart.defenderId());
    if (row == null || row.status != DefenderStatus.LIVE) {
      out.add(new InputIgnored(restart, "defender [" + restart.defenderId() + "] is "
          + (row == null ? "unknown" : row.status) + ", not live"));
      return;
    }
    row.status = DefenderStatus.RESTARTING;
    row.restartGraceUntilMillis = now + tuning.restartGraceMillis();
    row.suspicion = null;
    publishLeases("defender [" + restart.defenderId() + "] restarting: its chambers lent to deputies", out);
  }

  /** A restart began or ended: publish the new leases at once (homes stay as they are). */
  private void publishLeases(String reason, List<LeaderDecision> out) {
    if (assignment.epoch() > 0) {
      publish(AssignmentMode.PLACE_ORPHANS_ONLY, reason, out);
    }
  }

  private void onLeft(DefenderLeft left, List<LeaderDecision> out) {
    DefenderTable.Row row = defenders.get(left.defenderId());
    if (row == null || row.status == DefenderStatus.DEAD || row.status == DefenderStatus.LEAVING) {
      out.add(new InputIgnored(left, "defender [" + left.defenderId() + "] is "
          + (row == null ? "unknown" : row.status)));
      return;
    }
    row.status = DefenderStatus.LEAVING;
    topologyChanged();
  }

  private void onLost(DefenderLost lost, List<LeaderDecision> out) {
    DefenderTable.Row row = defenders.get(lost.defenderId());
    if (row == null || row.status == DefenderStatus.DEAD || row.status == DefenderStatus.RESTARTING) {
      out.add(new InputIgnored(lost, "defender [" + lost.defenderId() + "] is "
          + (row == null ? "unknown" : row.status) + (row != null && row.status == DefenderStatus.RESTARTING
          ? "; its chambers stay held until the restart grace ends" : "")));
      return;
    }
    declareDead(row, DeathCause.LOST_BY_CLUSTER, "lost by the cluster: " + lost.cause(), out);
  }

  private void onSuspected(DefenderSuspected suspected, List<LeaderDecision> out) {
    DefenderTable.Row row = defenders.get(suspected.defenderId());
    if (row == null || (row.status != DefenderStatus.LIVE && row.status != DefenderStatus.LEAVING)) {
      out.add(new InputIgnored(suspected, "defender [" + suspected.defenderId() + "] is "
          + (row == null ? "unknown" : row.status) + "; nothing to suspect"));
      return;
    }
    // Held until its next heartbeat; the silence check below declares it dead if the leader's own
    // clock agrees (silent ≥ suspectedSilenceMillis), now or when that deadline comes.
    row.suspicion = suspected.evidence();
  }

  private void onChamberRegistered(ChamberRegistered registered) {
    Double previous = chambers.put(registered.chamber(), registered.weight());
    if (previous == null) {
      scheduleChamberBatch();
    }
    // A changed weight takes effect at the next rebalance; it never moves chambers by itself.
  }

  private void onChamberRemoved(ChamberRemoved removed, List<LeaderDecision> out) {
    if (chambers.remove(removed.chamber()) == null) {
      out.add(new InputIgnored(removed, "chamber " + removed.chamber() + " is not registered"));
      return;
    }
    scheduleChamberBatch();
  }

  private void onRebalanceRequested(RebalanceRequested requested, List<LeaderDecision> out) {
    if (state == LeaderState.COLD_START && !coldStart.finished()) {
      out.add(new InputIgnored(requested, "the cold start is still running; its rounds balance"));
      return;
    }
    publish(AssignmentMode.REBALANCE, "rebalance requested by " + requested.requestedBy(), out);
  }

  private void scheduleChamberBatch() {
    if (chamberBatchAt == NONE) {
      chamberBatchAt = now + tuning.chamberBatchMillis();
    }
  }

  private void topologyChanged() {
    if (state == LeaderState.COLD_START) {
      coldStart.topologyChanged(now);
      return;
    }
    if (scalingFirstChangeAt == NONE) {
      scalingFirstChangeAt = now;
    }
    scalingLastChangeAt = now;
  }

  private void declareDead(DefenderTable.Row row, DeathCause cause, String reason, List<LeaderDecision> out) {
    row.status = DefenderStatus.DEAD;
    out.add(new DefenderDeclaredDead(row.id, cause, reason));
    if (state == LeaderState.COLD_START && !coldStart.hasPublished()) {
      coldStart.topologyChanged(now);
      return;
    }
    if (state != LeaderState.COLD_START) {
      emergencyUntil = now + tuning.emergencySettleMillis();
    }
    publish(AssignmentMode.PLACE_ORPHANS_ONLY, "defender [" + row.id + "] dead: " + reason, out);
  }

  private void runDueWork(List<LeaderDecision> out) {
    if (nextHeartbeatCheckAt <= now) {
      nextHeartbeatCheckAt = now + tuning.heartbeatIntervalMillis();
    }
    if (silenceDeadline() <= now) {
      for (String silent : defenders.silentPastDeadline(now, tuning.deadAfterMillis(), tuning.suspectedSilenceMillis())) {
        DefenderTable.Row row = defenders.get(silent);
        if (row == null) {
          continue; // a silent leaver, forgotten when the previous one's chambers were placed: nothing owned
        }
        declareDead(row, DeathCause.MISSED_HEARTBEATS, row.suspicion != null
            ? "no heartbeat for " + (now - row.lastHeartbeatMillis) + " ms and suspected: " + row.suspicion
            : "no heartbeat for " + tuning.deadAfterMillis() + " ms", out);
      }
    }
    if (leasesStale) {
      leasesStale = false;
      publishLeases("resumed: leases brought in line with the restarts held", out);
    }
    for (String restarting : defenders.graceExpired(now)) {
      declareDead(defenders.get(restarting), DeathCause.RESTART_GRACE_EXPIRED, "not back within the restart grace of "
          + tuning.restartGraceMillis() + " ms", out);
    }
    if (state == LeaderState.COLD_START) {
      ColdStart.Step step = coldStart.due(now);
      if (step == ColdStart.Step.ROUND) {
        coldStart.published(now, publish(AssignmentMode.REBALANCE, "cold start round " + (coldStart.rounds() + 1), out));
      } else if (step == ColdStart.Step.FINAL) {
        if (coldStart.changedSinceRound()) {
          publish(AssignmentMode.REBALANCE, "cold start final round " + (coldStart.rounds() + 1), out);
        }
        coldStart.finish();
      }
    }
    if (scalingFirstChangeAt != NONE && now >= scalingDeadline()) {
      scalingFirstChangeAt = NONE;
      scalingLastChangeAt = NONE;
      publish(AssignmentMode.REBALANCE, "scaling: batched topology change", out);
    }
    if (chamberBatchAt <= now) {
      chamberBatchAt = NONE;
      if (state != LeaderState.COLD_START || coldStart.hasPublished()) {
        publish(AssignmentMode.PLACE_ORPHANS_ONLY, "chambers registered or removed", out);
      }
    }
    if (emergencyUntil <= now) {
      emergencyUntil = NONE;
    }
  }

  private long scalingDeadline() {
    return Math.min(scalingLastChangeAt + tuning.scalingQuietMillis(),
        scalingFirstChangeAt + tuning.scalingMaxWindowMillis());
  }

  /**
   * Computes homes (the engine, from the previous homes with the leases of gone homes folded in)
   * and leases ({@link LeasePlanner}), and publishes them if either changed.
   *
   * @return true if an assignment with changed homes or leases was published
   */
  private boolean publish(AssignmentMode mode, String reason, List<LeaderDecision> out) {
    List<DefenderSpec> owners = defenders.owners();
    if (owners.isEmpty()) {
      orphansWaitForOwner = !chambers.isEmpty();
      return false;
    }
    Set<String> homes = new TreeSet<>();
    owners.forEach(owner -> homes.add(owner.id()));
    Set<String> held = defenders.withStatus(DefenderStatus.RESTARTING);
    AssignmentResult result = engine.assign(assignment.foldLeases(homes), chambers, owners, held, mode);
    Assignment next = result.assignment().withLeases(
        LeasePlanner.plan(result.assignment(), chambers, defenders.deputies(), held, assignment.leases()));
    orphansWaitForOwner = false;
    defenders.forgetLeavers();
    if (assignment.epoch() > 0 && next.sameRouting(assignment)) {
      return false;
    }
    LeaseChanges leases = LeaseChanges.between(assignment, next, chambers);
    assignment = next.withEpoch(assignment.epoch() + 1);
    out.add(new PublishAssignment(assignment, reason, result.summary(), leases));
    return true;
  }

  /** The leases {@link #publish} would give {@code homes} now. */
  private SortedMap<ChamberKey, String> plannedLeases(Assignment homes) {
    return LeasePlanner.plan(homes, chambers, defenders.deputies(), defenders.withStatus(DefenderStatus.RESTARTING),
        homes.leases());
  }

  private long silenceDeadline() {
    return defenders.earliestSilenceDeadline(tuning.deadAfterMillis(), tuning.suspectedSilenceMillis());
  }

  private void settleState(LeaderInput cause, List<LeaderDecision> out) {
    LeaderState next;
    if (state == LeaderState.COLD_START && !coldStart.finished()) {
      next = LeaderState.COLD_START;
    } else if (emergencyUntil != NONE) {
      next = LeaderState.EMERGENCY;
    } else if (scalingFirstChangeAt != NONE) {
      next = LeaderState.SCALING;
    } else if (defenders.anyWithStatus(DefenderStatus.RESTARTING)) {
      next = LeaderState.ROLLING_UPDATE;
    } else {
      next = LeaderState.STABLE;
    }
    if (next != state) {
      LeaderState from = state;
      state = state.moveTo(next);
      stateSince = now;
      out.add(new StateChanged(from, next, cause));
    }
  }

  private void announceTimers(List<LeaderDecision> out) {
    timers.announce(LeaderTimer.COLD_START, state == LeaderState.COLD_START ? coldStart.deadline() : NONE, out);
    timers.announce(LeaderTimer.SCALING, scalingFirstChangeAt == NONE ? NONE : scalingDeadline(), out);
    timers.announce(LeaderTimer.HEARTBEAT_CHECK, nextHeartbeatCheckAt, out);
    timers.announce(LeaderTimer.RESTART_GRACE, defenders.earliestGraceEnd(), out);
    timers.announce(LeaderTimer.CHAMBER_BATCH, chamberBatchAt, out);
    timers.announce(LeaderTimer.EMERGENCY_SETTLE, emergencyUntil, out);
    timers.announce(LeaderTimer.SILENCE, silenceDeadline(), out);
  }
}
