package io.chamberlain.system.live;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The {@code CHAMBERLAIN_*} environment of each node of a {@link ProcessCluster} — the only way the
 * harness configures a node, exactly as an operator would (README, "Configuration"). It sets only
 * what a deployment must: cluster name, host, ports and member list, NATS URL, catalog file, defender
 * id, HTTP host/port/admin token, the defense process rules and the ingestion lanes if the run sets them — and, in the {@link Profile#TEST} profile only, the worker threads.
 * No heartbeat, timeout or leader setting: every scenario runs at the product's timing defaults.
 * The first slots are the gateways', the rest the workers'; every node lists every slot as a TCP-IP
 * member, with port auto-increment off so a node is always where its slot says.
 */
final class NodeEnvironment {

  private final ClusterOptions options;
  private final String clusterName;
  private final String natsUrl;
  private final int firstClusterPort;

  NodeEnvironment(ClusterOptions options, String clusterName, String natsUrl, int firstClusterPort) {
    this.options = options;
    this.clusterName = clusterName;
    this.natsUrl = natsUrl;
    this.firstClusterPort = firstClusterPort;
  }

  /** Bearer token of the gateway's operations (drain, undrain). */
  static final String ADMIN_TOKEN = "live-admin-token";

  Map<String, String> gateway(int slot, int httpPort, Path catalog) {
    Map<String, String> env = common(slot, catalog);
    env.put("CHAMBERLAIN_HTTP_HOST", "127.0.0.1");
    env.put("CHAMBERLAIN_HTTP_PORT", Integer.toString(httpPort));
    env.put("CHAMBERLAIN_HTTP_ADMIN_TOKEN", ADMIN_TOKEN);
    if (options.lanes() > 1) {
      env.put("CHAMBERLAIN_INGEST_LANES", Integer.toString(options.lanes()));
    }
    return env;
  }

  Map<String, String> worker(int slot, String defenderId, Path catalog) {
    Map<String, String> env = common(slot, catalog);
    env.put("CHAMBERLAIN_DEFENDER_ID", defenderId);
    env.put("CHAMBERLAIN_HTTP_HOST", "127.0.0.1");
    env.put("CHAMBERLAIN_HTTP_PORT", "0"); // its probes on any free port: several workers share this machine
    options.profile().workerThreads()
        .ifPresent(threads -> env.put("CHAMBERLAIN_DEFENDER_WORKER_THREADS", Integer.toString(threads)));
    if (options.defenseProcesses() != null) {
      env.put("CHAMBERLAIN_DEFENSE_PROCESSES_FILE", options.defenseProcesses().toString());
    }
    return env;
  }

  /** A worker without an id of its own: it claims one from a pool of {@code poolSize}. */
  Map<String, String> pooledWorker(int slot, int poolSize, Path catalog) {
    Map<String, String> env = worker(slot, "unused", catalog);
    env.remove("CHAMBERLAIN_DEFENDER_ID");
    env.put("CHAMBERLAIN_DEFENDER_ID_POOL_SIZE", Integer.toString(poolSize));
    return env;
  }

  /** Every node may lead, so every node knows the catalog. */
  private Map<String, String> common(int slot, Path catalog) {
    Map<String, String> env = new HashMap<>();
    env.put("CHAMBERLAIN_CHAMBERS_FILE", catalog.toString());
    env.put("CHAMBERLAIN_NATS_URL", natsUrl);
    if (options.natsServers() > 1) {
      env.put("CHAMBERLAIN_NATS_REPLICAS", Integer.toString(options.natsServers()));
    }
    env.put("CHAMBERLAIN_CLUSTER_NAME", clusterName);
    env.put("CHAMBERLAIN_CLUSTER_HOST", "127.0.0.1");
    env.put("CHAMBERLAIN_CLUSTER_PORT", Integer.toString(firstClusterPort + slot));
    env.put("CHAMBERLAIN_CLUSTER_PORT_AUTO_INCREMENT", "false");
    env.put("CHAMBERLAIN_CLUSTER_MEMBERS", IntStream.range(0, options.slots())
        .mapToObj(i -> "127.0.0.1:" + (firstClusterPort + i)).collect(Collectors.joining(",")));
    return env;
  }
}
