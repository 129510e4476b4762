package io.chamberlain.leader;

import io.chamberlain.assign.Assignment;
import io.chamberlain.assign.AssignmentEngine;
import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.leader.LeaderDecision.PublishAssignment;
import io.chamberlain.leader.LeaderDecision.SetTimer;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Drives a {@link Leader} with a fake clock: keeps the timers it asks for and fires them as time
 * advances, and records every decision.
 */
final class LeaderHarness {

  /** Sees every input the leader handles (timers included) with the decisions it produced, in order. */
  interface Observer {
    void handled(LeaderInput input, List<LeaderDecision> decisions);
  }

  final Leader leader;
  /** Optional; set before the first input. */
  Observer observer;
  final List<LeaderDecision> decisions = new ArrayList<>();
  /** Every input handed to the leader, timers included, for replay. */
  final List<LeaderInput> inputs = new ArrayList<>();
  private final java.util.EnumMap<LeaderTimer, Long> timers = new java.util.EnumMap<>(LeaderTimer.class);
  long now;

  private LeaderHarness(Leader leader, long now) {
    this.leader = leader;
    this.now = now;
    record(leader.start());
  }

  static LeaderHarness coldStart(SortedMap<ChamberKey, Double> chambers) {
    return new LeaderHarness(Leader.coldStart(LeaderTuning.DEFAULT, engine(), chambers, 0), 0);
  }

  static LeaderHarness resume(SortedMap<ChamberKey, Double> chambers, Assignment persisted, long now) {
    return new LeaderHarness(Leader.resume(LeaderTuning.DEFAULT, engine(), chambers, persisted, now), now);
  }

  static LeaderHarness resume(SortedMap<ChamberKey, Double> chambers, Assignment persisted,
      java.util.Map<String, Long> restartHolds, long now) {
    return new LeaderHarness(Leader.resume(LeaderTuning.DEFAULT, engine(), chambers, persisted, restartHolds, now), now);
  }

  static AssignmentEngine engine() {
    return new AssignmentEngine(AssignmentTuning.DEFAULT);
  }

  List<LeaderDecision> send(LeaderInput input) {
    advanceTo(input.atMillis());
    inputs.add(input);
    List<LeaderDecision> out = leader.handle(input);
    record(out);
    observe(input, out);
    return out;
  }

  /** Fires every timer due up to {@code time}, in time order, then sets the clock to it. */
  void advanceTo(long time) {
    while (true) {
      LeaderTimer next = null;
      long at = Long.MAX_VALUE;
      for (var timer : timers.entrySet()) {
        if (timer.getValue() < at) {
          at = timer.getValue();
          next = timer.getKey();
        }
      }
      if (next == null || at > time) {
        break;
      }
      timers.remove(next);
      now = Math.max(now, at);
      LeaderInput fired = new LeaderInput.TimerFired(now, next);
      inputs.add(fired);
      List<LeaderDecision> out = leader.handle(fired);
      record(out);
      observe(fired, out);
    }
    now = Math.max(now, time);
  }

  /**
   * The leader's process is paused until {@code time} (GC, SIGSTOP): nothing fires meanwhile; then
   * every overdue timer fires at once, late.
   */
  List<LeaderDecision> pausedUntil(long time) {
    List<LeaderTimer> overdue = timers.entrySet().stream().filter(t -> t.getValue() <= time).map(java.util.Map.Entry::getKey)
        .toList();
    now = Math.max(now, time);
    List<LeaderDecision> out = new ArrayList<>();
    for (LeaderTimer name : overdue) {
      timers.remove(name);
      LeaderInput fired = new LeaderInput.TimerFired(now, name);
      inputs.add(fired);
      List<LeaderDecision> decisions = leader.handle(fired);
      record(decisions);
      observe(fired, decisions);
      out.addAll(decisions);
    }
    return out;
  }

  /** Heartbeats from every live or leaving defender each second up to {@code time}. */
  void heartbeatUntil(long time, List<String> ids) {
    for (long t = (now / 1000 + 1) * 1000; t <= time; t += 1000) {
      for (String id : ids) {
        send(new LeaderInput.HeartbeatReceived(t, id));
      }
    }
    advanceTo(time);
  }

  private void observe(LeaderInput input, List<LeaderDecision> out) {
    if (observer != null) {
      observer.handled(input, out);
    }
  }

  private void record(List<LeaderDecision> out) {
    for (LeaderDecision decision : out) {
      decisions.add(decision);
      if (decision instanceof SetTimer timer) {
        timers.put(timer.timer(), timer.atMillis());
      }
    }
  }

  List<PublishAssignment> published() {
    List<PublishAssignment> result = new ArrayList<>();
    decisions.forEach(d -> {
      if (d instanceof PublishAssignment p) {
        result.add(p);
      }
    });
    return result;
  }

  List<LeaderDecision.StateChanged> stateChanges() {
    List<LeaderDecision.StateChanged> result = new ArrayList<>();
    decisions.forEach(d -> {
      if (d instanceof LeaderDecision.StateChanged s) {
        result.add(s);
      }
    });
    return result;
  }

  void clear() {
    decisions.clear();
  }

  static SortedMap<ChamberKey, Double> chambers(int count) {
    SortedMap<ChamberKey, Double> result = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      result.put(new ChamberKey("tool" + (i / 4), Integer.toString(i % 4 + 1)), 1000.0 + (i * 7919L) % 5000);
    }
    return result;
  }
}
