package io.chamberlain.leader;

import io.chamberlain.assign.DefenderSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** The leader's view of every defender it has heard of, in id order. Not thread-safe. */
final class DefenderTable {

  /** A defender's row; mutable, owned by the table. */
  static final class Row {
    final String id;
    String version;
    double capacity;
    DefenderStatus status;
    long lastHeartbeatMillis;
    long restartGraceUntilMillis;
    /** A gateway's evidence that it is not running, until its next heartbeat; {@code null} if none. */
    String suspicion;

    Row(String id, String version, double capacity, long nowMillis) {
      this.id = id;
      this.version = version;
      this.capacity = capacity;
      this.status = DefenderStatus.LIVE;
      this.lastHeartbeatMillis = nowMillis;
    }
  }

  private final SortedMap<String, Row> rows = new TreeMap<>();

  Row get(String id) {
    return rows.get(id);
  }

  Row add(String id, String version, double capacity, long nowMillis) {
    Row row = new Row(id, version, capacity, nowMillis);
    rows.put(id, row);
    return row;
  }

  /** Defenders that may serve a restarting defender's chambers: live ones, in id order. */
  List<DefenderSpec> deputies() {
    List<DefenderSpec> result = new ArrayList<>();
    for (Row row : rows.values()) {
      if (row.status == DefenderStatus.LIVE) {
        result.add(new DefenderSpec(row.id, row.capacity));
      }
    }
    return result;
  }

  /** Defenders that may own chambers: live and restarting (held), in id order. */
  List<DefenderSpec> owners() {
    List<DefenderSpec> result = new ArrayList<>();
    for (Row row : rows.values()) {
      if (row.status == DefenderStatus.LIVE || row.status == DefenderStatus.RESTARTING) {
        result.add(new DefenderSpec(row.id, row.capacity));
      }
    }
    return result;
  }

  Set<String> withStatus(DefenderStatus status) {
    Set<String> result = new TreeSet<>();
    rows.values().forEach(row -> {
      if (row.status == status) {
        result.add(row.id);
      }
    });
    return result;
  }

  boolean anyWithStatus(DefenderStatus status) {
    return rows.values().stream().anyMatch(row -> row.status == status);
  }

  /**
   * Live or leaving defenders silent past their deadline: {@code deadAfterMillis}, or
   * {@code suspectedAfterMillis} once a gateway suspects them.
   */
  List<String> silentPastDeadline(long nowMillis, long deadAfterMillis, long suspectedAfterMillis) {
    List<String> result = new ArrayList<>();
    rows.values().forEach(row -> {
      if (expectsHeartbeats(row) && silenceDeadline(row, deadAfterMillis, suspectedAfterMillis) <= nowMillis) {
        result.add(row.id);
      }
    });
    return result;
  }

  /** The earliest silence deadline of a live or leaving defender, {@link TimerBook#NONE} if none. */
  long earliestSilenceDeadline(long deadAfterMillis, long suspectedAfterMillis) {
    long earliest = TimerBook.NONE;
    for (Row row : rows.values()) {
      if (expectsHeartbeats(row)) {
        earliest = Math.min(earliest, silenceDeadline(row, deadAfterMillis, suspectedAfterMillis));
      }
    }
    return earliest;
  }

  private static boolean expectsHeartbeats(Row row) {
    return row.status == DefenderStatus.LIVE || row.status == DefenderStatus.LEAVING;
  }

  private static long silenceDeadline(Row row, long deadAfterMillis, long suspectedAfterMillis) {
    return row.lastHeartbeatMillis + (row.suspicion != null ? suspectedAfterMillis : deadAfterMillis);
  }

  /** Live and leaving defenders count as heard from at {@code nowMillis} (the leader itself was paused). */
  void restartSilenceClocks(long nowMillis) {
    rows.values().forEach(row -> row.lastHeartbeatMillis = Math.max(row.lastHeartbeatMillis, nowMillis));
  }

  List<String> graceExpired(long nowMillis) {
    List<String> result = new ArrayList<>();
    rows.values().forEach(row -> {
      if (row.status == DefenderStatus.RESTARTING && row.restartGraceUntilMillis <= nowMillis) {
        result.add(row.id);
      }
    });
    return result;
  }

  /** Restarting defenders and when their grace ends, in id order. */
  SortedMap<String, Long> restartHolds() {
    SortedMap<String, Long> result = new TreeMap<>();
    rows.values().forEach(row -> {
      if (row.status == DefenderStatus.RESTARTING) {
        result.put(row.id, row.restartGraceUntilMillis);
      }
    });
    return result;
  }

  long earliestGraceEnd() {
    long earliest = Long.MAX_VALUE;
    for (Row row : rows.values()) {
      if (row.status == DefenderStatus.RESTARTING) {
        earliest = Math.min(earliest, row.restartGraceUntilMillis);
      }
    }
    return earliest;
  }

  /** Leavers disappear once an assignment without them is published. */
  void forgetLeavers() {
    rows.values().removeIf(row -> row.status == DefenderStatus.LEAVING);
  }

  SortedMap<String, DefenderStatus> statuses() {
    SortedMap<String, DefenderStatus> result = new TreeMap<>();
    rows.forEach((id, row) -> result.put(id, row.status));
    return result;
  }
}
