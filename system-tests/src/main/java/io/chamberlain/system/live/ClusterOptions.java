package io.chamberlain.system.live;

import java.nio.file.Path;
import java.util.List;

/**
 * How a {@link ProcessCluster} lays out and configures its nodes.
 *
 * @param profile benchmark (the shipped configuration) or test (lean JVMs); see {@link Profile}
 * @param gatewaySlots Hazelcast ports reserved for gateways (slots 0…); one ingests a lane, the others stand by
 * @param workerSlots Hazelcast ports reserved for workers (after the gateways'); every node lists all
 *     slots as TCP-IP members, and a restarted worker keeps its slot
 * @param defenseProcesses the workers' defense process rules file ({@code defense.processesFile}), or
 *     null for the built-in process everywhere
 * @param lanes the gateways' {@code ingest.lanes}; above 1 nats-server is started with the mapping
 *     that splits the completions into lanes
 * @param natsServers 1: one nats-server; more: a JetStream {@link NatsCluster} of that many, every
 *     node given all their URLs and {@code nats.replicas} of that many
 */
public record ClusterOptions(Profile profile, int gatewaySlots, int workerSlots, Path defenseProcesses, int lanes,
    int natsServers) {

  /** Lean JVMs of the {@link Profile#TEST} profile: a 2-core machine runs up to 7 of them. */
  public static final List<String> LEAN_JVM =
      List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

  public ClusterOptions {
    if (profile == null) {
      throw new IllegalArgumentException("a cluster needs a profile (BENCHMARK or TEST)");
    }
    if (gatewaySlots < 1 || workerSlots < 1) {
      throw new IllegalArgumentException("need ≥ 1 gateway and worker slot, got " + gatewaySlots + " and " + workerSlots);
    }
    if (lanes < 1) {
      throw new IllegalArgumentException("need ≥ 1 ingestion lane, got " + lanes);
    }
    if (natsServers < 1 || natsServers > 5) {
      throw new IllegalArgumentException("need 1 to 5 nats-servers (nats.replicas' range), got " + natsServers);
    }
  }

  public ClusterOptions(Profile profile, int gatewaySlots, int workerSlots, Path defenseProcesses, int lanes) {
    this(profile, gatewaySlots, workerSlots, defenseProcesses, lanes, 1);
  }

  /** 1 gateway, 6 worker slots. */
  public static ClusterOptions of(Profile profile) {
    return new ClusterOptions(profile, 1, 6, null, 1);
  }

  public ClusterOptions withWorkerSlots(int slots) {
    return new ClusterOptions(profile, gatewaySlots, slots, defenseProcesses, lanes, natsServers);
  }

  public ClusterOptions withGatewaySlots(int slots) {
    return new ClusterOptions(profile, slots, workerSlots, defenseProcesses, lanes, natsServers);
  }

  public ClusterOptions withDefenseProcesses(Path rules) {
    return new ClusterOptions(profile, gatewaySlots, workerSlots, rules, lanes, natsServers);
  }

  public ClusterOptions withLanes(int count) {
    return new ClusterOptions(profile, gatewaySlots, workerSlots, defenseProcesses, count, natsServers);
  }

  /** A JetStream cluster of {@code count} nats-servers, streams and buckets at {@code count} replicas. */
  public ClusterOptions withNatsServers(int count) {
    return new ClusterOptions(profile, gatewaySlots, workerSlots, defenseProcesses, lanes, count);
  }

  /** JVM options of every gateway and worker: the profile's (the launcher adds what the JVM's version needs). */
  public List<String> javaOptions() {
    return profile.javaOptions();
  }

  int slots() {
    return gatewaySlots + workerSlots;
  }
}
