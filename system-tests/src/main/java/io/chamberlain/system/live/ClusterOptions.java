package io.chamberlain.system.live;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How a {@link ProcessCluster} configures its nodes.
 *
 * @param workerSlots Hazelcast ports reserved for workers (the gateway takes one more); every node
 *     lists all slots as TCP-IP members, and a restarted worker keeps its slot
 * @param heartbeat the workers' {@code defender.heartbeatMillis}
 * @param defenderTimeout the leader's {@code leader.defenderTimeoutMillis}: silence that declares a
 *     defender dead
 * @param javaOptions JVM options of every gateway and worker (lean: a 2-core machine runs up to 7)
 * @param extraEnvironment further {@code CHAMBERLAIN_*} settings for every node (they win)
 * @param gatewayEnvironment further settings for the gateway only (they win over both)
 */
public record ClusterOptions(int workerSlots, Duration heartbeat, Duration defenderTimeout,
    java.util.List<String> javaOptions, Map<String, String> extraEnvironment, Map<String, String> gatewayEnvironment) {

  public static final java.util.List<String> LEAN_JVM =
      java.util.List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

  public ClusterOptions {
    if (workerSlots < 1) {
      throw new IllegalArgumentException("workerSlots must be ≥ 1, was " + workerSlots);
    }
    javaOptions = java.util.List.copyOf(javaOptions);
    extraEnvironment = Map.copyOf(extraEnvironment);
    gatewayEnvironment = Map.copyOf(gatewayEnvironment);
  }

  /** 6 worker slots, heartbeats every 500 ms, a defender dead after 3 s of silence. */
  public static ClusterOptions defaults() {
    return new ClusterOptions(6, Duration.ofMillis(500), Duration.ofSeconds(3), LEAN_JVM, Map.of(), Map.of());
  }

  public ClusterOptions withWorkerSlots(int slots) {
    return new ClusterOptions(slots, heartbeat, defenderTimeout, javaOptions, extraEnvironment, gatewayEnvironment);
  }

  public ClusterOptions withDefenderTimeout(Duration timeout) {
    return new ClusterOptions(workerSlots, heartbeat, timeout, javaOptions, extraEnvironment, gatewayEnvironment);
  }

  /** Adds one {@code CHAMBERLAIN_*} setting for every node. */
  public ClusterOptions withEnvironment(String name, String value) {
    Map<String, String> merged = new HashMap<>(extraEnvironment);
    merged.put(name, value);
    return new ClusterOptions(workerSlots, heartbeat, defenderTimeout, javaOptions, merged, gatewayEnvironment);
  }

  /**
   * The gateway does not campaign for leadership ({@code leader.enabled=false}): the leader always
   * runs on a worker, so scenarios can kill or restart the leader's node while the status API stays.
   */
  public ClusterOptions withLeaderOnWorkersOnly() {
    Map<String, String> merged = new HashMap<>(gatewayEnvironment);
    merged.put("CHAMBERLAIN_LEADER_ENABLED", "false");
    return new ClusterOptions(workerSlots, heartbeat, defenderTimeout, javaOptions, extraEnvironment, merged);
  }
}
