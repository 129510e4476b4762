package io.chamberlain.system.live;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a {@link ProcessCluster} configures its nodes.
 *
 * @param gatewaySlots Hazelcast ports reserved for gateways (slots 0…); one active, the others standby
 * @param workerSlots Hazelcast ports reserved for workers (after the gateways'); every node lists all
 *     slots as TCP-IP members, and a restarted worker keeps its slot
 * @param heartbeat the workers' {@code defender.heartbeatMillis}
 * @param defenderTimeout silence after which the leader declares a defender dead
 *     ({@code leader.heartbeatIntervalMillis} × {@code leader.missedHeartbeats})
 * @param javaOptions JVM options of every gateway and worker (lean: a 2-core machine runs up to 7)
 * @param extraEnvironment further {@code CHAMBERLAIN_*} settings for every node (they win)
 * @param gatewayEnvironment further settings for gateways only (they win over both)
 */
public record ClusterOptions(int gatewaySlots, int workerSlots, Duration heartbeat, Duration defenderTimeout,
    List<String> javaOptions, Map<String, String> extraEnvironment, Map<String, String> gatewayEnvironment) {

  public static final List<String> LEAN_JVM =
      List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

  public ClusterOptions {
    if (gatewaySlots < 1 || workerSlots < 1) {
      throw new IllegalArgumentException("need ≥ 1 gateway and worker slot, got " + gatewaySlots + " and " + workerSlots);
    }
    javaOptions = List.copyOf(javaOptions);
    extraEnvironment = Map.copyOf(extraEnvironment);
    gatewayEnvironment = Map.copyOf(gatewayEnvironment);
  }

  /** 1 gateway, 6 worker slots, heartbeats every 500 ms, a defender dead after 3 s of silence. */
  public static ClusterOptions defaults() {
    return new ClusterOptions(1, 6, Duration.ofMillis(500), Duration.ofSeconds(3), LEAN_JVM, Map.of(), Map.of());
  }

  public ClusterOptions withWorkerSlots(int slots) {
    return new ClusterOptions(gatewaySlots, slots, heartbeat, defenderTimeout, javaOptions, extraEnvironment,
        gatewayEnvironment);
  }

  public ClusterOptions withGatewaySlots(int slots) {
    return new ClusterOptions(slots, workerSlots, heartbeat, defenderTimeout, javaOptions, extraEnvironment,
        gatewayEnvironment);
  }

  public ClusterOptions withDefenderTimeout(Duration timeout) {
    return new ClusterOptions(gatewaySlots, workerSlots, heartbeat, timeout, javaOptions, extraEnvironment,
        gatewayEnvironment);
  }

  /** Adds one {@code CHAMBERLAIN_*} setting for every node. */
  public ClusterOptions withEnvironment(String name, String value) {
    Map<String, String> merged = new HashMap<>(extraEnvironment);
    merged.put(name, value);
    return new ClusterOptions(gatewaySlots, workerSlots, heartbeat, defenderTimeout, javaOptions, merged,
        gatewayEnvironment);
  }

  /**
   * Gateways do not campaign for leadership ({@code leader.enabled=false}): the leader always runs
   * on a worker, so scenarios can kill or restart the leader's node while a status API stays.
   */
  public ClusterOptions withLeaderOnWorkersOnly() {
    Map<String, String> merged = new HashMap<>(gatewayEnvironment);
    merged.put("CHAMBERLAIN_LEADER_ENABLED", "false");
    return new ClusterOptions(gatewaySlots, workerSlots, heartbeat, defenderTimeout, javaOptions, extraEnvironment,
        merged);
  }

  int slots() {
    return gatewaySlots + workerSlots;
  }
}
