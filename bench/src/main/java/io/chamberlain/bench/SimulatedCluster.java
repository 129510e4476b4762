package io.chamberlain.bench;

import io.chamberlain.assign.Assignment;
import io.chamberlain.assign.AssignmentEngine;
import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.leader.Leader;
import io.chamberlain.leader.LeaderDecision;
import io.chamberlain.leader.LeaderDecision.PublishAssignment;
import io.chamberlain.leader.LeaderDecision.SetTimer;
import io.chamberlain.leader.LeaderInput;
import io.chamberlain.leader.LeaderTimer;
import io.chamberlain.leader.LeaderTuning;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The real {@link Leader} and {@link AssignmentEngine} driven by a {@link VirtualClock}, with
 * simulated defender processes around them: they join, heartbeat at the leader's interval, leave,
 * crash or restart, and run whatever assignment they received {@link #APPLY_LATENCY_MILLIS} after
 * it was published. A restarting defender, like the real one, serves until the assignment that
 * lends its chambers is applied, then goes down. Records every publication and every span during
 * which some chamber was not served by a running defender.
 */
final class SimulatedCluster {

  /** From publication to the defenders running it (broadcast + deploy/undeploy of chamber verticles). */
  static final long APPLY_LATENCY_MILLIS = 50;
  /** A killed member's TCP connections close at once; the cluster drops it in well under 1 s on a LAN. */
  static final long MEMBER_REMOVED_DELAY_MILLIS = 300;
  static final long HEARTBEAT_MILLIS = LeaderTuning.DEFAULT.heartbeatIntervalMillis();
  /** A restarting defender goes down at the latest this long after announcing (no lease came). */
  static final long ANNOUNCE_TIMEOUT_MILLIS = 2_000;

  record Published(long atMillis, PublishAssignment decision) {
  }

  record Applied(long atMillis, Assignment assignment) {
  }

  final VirtualClock clock = new VirtualClock();
  final SortedMap<ChamberKey, Double> chambers;
  final Leader leader;
  final List<Published> published = new ArrayList<>();
  final List<Applied> applied = new ArrayList<>();
  /** [start, end] of every span in which some chamber had no running owner. */
  final List<long[]> unownedSpans = new ArrayList<>();
  private final Map<LeaderTimer, Long> timers = new EnumMap<>(LeaderTimer.class);
  private final Map<String, Integer> incarnations = new HashMap<>();
  private final Set<String> running = new TreeSet<>();
  private final Set<String> leaving = new TreeSet<>();
  private final Set<String> restarting = new TreeSet<>();
  private Assignment current = Assignment.EMPTY;
  private long unownedSince = -1;

  SimulatedCluster(SortedMap<ChamberKey, Double> chambers) {
    this.chambers = chambers;
    this.leader = Leader.coldStart(LeaderTuning.DEFAULT, new AssignmentEngine(AssignmentTuning.DEFAULT), chambers, 0);
    handle(leader.start());
  }

  Set<String> running() {
    return new TreeSet<>(running);
  }

  void join(long at, String id, String version) {
    clock.at(at, () -> {
      int incarnation = incarnations.merge(id, 1, Integer::sum);
      running.add(id);
      leaving.remove(id);
      feed(new LeaderInput.DefenderJoined(clock.now(), id, version, 1.0));
      heartbeat(id, incarnation, clock.now() + HEARTBEAT_MILLIS);
      checkOwnership();
    });
  }

  /** Graceful scale-down: keeps processing until an assignment without it is applied. */
  void leave(long at, String id) {
    clock.at(at, () -> {
      leaving.add(id);
      feed(new LeaderInput.DefenderLeft(clock.now(), id));
    });
  }

  /** SIGKILL (the cluster notices) or a frozen host (only the heartbeats tell). */
  void crash(long at, String id, boolean clusterNotices) {
    clock.at(at, () -> {
      stop(id);
      if (clusterNotices) {
        clock.at(clock.now() + MEMBER_REMOVED_DELAY_MILLIS,
            () -> feed(new LeaderInput.DefenderLost(clock.now(), id, "member removed")));
      }
    });
  }

  /**
   * Rolling update step: announce, serve until the lease is applied (at most
   * {@link #ANNOUNCE_TIMEOUT_MILLIS}), go down, rejoin with the same id {@code downMillis} after the
   * announcement.
   */
  void restart(long at, String id, long downMillis, String newVersion) {
    clock.at(at, () -> {
      restarting.add(id);
      feed(new LeaderInput.RestartAnnounced(clock.now(), id));
      clock.at(clock.now() + ANNOUNCE_TIMEOUT_MILLIS, () -> goDown(id));
    });
    join(at + downMillis, id, newVersion);
  }

  private void goDown(String id) {
    if (restarting.remove(id)) {
      stop(id);
      clock.at(clock.now() + MEMBER_REMOVED_DELAY_MILLIS,
          () -> feed(new LeaderInput.DefenderLost(clock.now(), id, "member removed")));
    }
  }

  void runUntil(long endMillis) {
    clock.runUntil(endMillis);
  }

  private void stop(String id) {
    running.remove(id);
    incarnations.merge(id, 1, Integer::sum);
    checkOwnership();
  }

  private void heartbeat(String id, int incarnation, long at) {
    clock.at(at, () -> {
      if (incarnations.get(id) == incarnation && running.contains(id)) {
        feed(new LeaderInput.HeartbeatReceived(clock.now(), id));
        heartbeat(id, incarnation, clock.now() + HEARTBEAT_MILLIS);
      }
    });
  }

  private void feed(LeaderInput input) {
    handle(leader.handle(input));
  }

  private void handle(List<LeaderDecision> decisions) {
    for (LeaderDecision decision : decisions) {
      if (decision instanceof SetTimer timer) {
        timers.put(timer.timer(), timer.atMillis());
        clock.at(timer.atMillis(), () -> {
          Long due = timers.get(timer.timer());
          if (due != null && due == timer.atMillis()) {
            timers.remove(timer.timer());
            feed(new LeaderInput.TimerFired(clock.now(), timer.timer()));
          }
        });
      } else if (decision instanceof PublishAssignment publish) {
        published.add(new Published(clock.now(), publish));
        clock.at(clock.now() + APPLY_LATENCY_MILLIS, () -> apply(publish.assignment()));
      }
    }
  }

  private void apply(Assignment assignment) {
    if (assignment.epoch() <= current.epoch()) {
      return;
    }
    current = assignment;
    applied.add(new Applied(clock.now(), assignment));
    Set<String> owners = assignment.byDefender().keySet();
    for (String id : new ArrayList<>(leaving)) {
      if (!owners.contains(id)) {
        leaving.remove(id);
        stop(id);
      }
    }
    Set<String> serving = servers(assignment);
    for (String id : new ArrayList<>(restarting)) {
      if (!serving.contains(id)) {
        goDown(id); // its chambers are lent out: the old process may stop
      }
    }
    checkOwnership();
  }

  private static Set<String> servers(Assignment assignment) {
    Set<String> serving = new TreeSet<>();
    assignment.owners().keySet().forEach(chamber -> serving.add(assignment.servedBy(chamber)));
    return serving;
  }

  private void checkOwnership() {
    boolean allOwned = current.size() == chambers.size() && running.containsAll(servers(current));
    boolean anyoneReady = !running.isEmpty() || current.size() > 0; // before the first defender, nobody could own
    if (!allOwned && unownedSince < 0 && anyoneReady) {
      unownedSince = clock.now();
    } else if (allOwned && unownedSince >= 0) {
      unownedSpans.add(new long[] {unownedSince, clock.now()});
      unownedSince = -1;
    }
  }

  /** Closes an open unowned span at the end of the run. */
  void finish() {
    if (unownedSince >= 0) {
      unownedSpans.add(new long[] {unownedSince, Long.MAX_VALUE});
      unownedSince = -1;
    }
  }
}
