package io.chamberlain.config;

import static io.chamberlain.config.ConfigKey.Type.BOOLEAN;
import static io.chamberlain.config.ConfigKey.Type.DOUBLE;
import static io.chamberlain.config.ConfigKey.Type.INT;
import static io.chamberlain.config.ConfigKey.Type.STRING;
import static io.chamberlain.config.ConfigKey.Type.STRING_LIST;

import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.assign.ChamberWeights;
import io.chamberlain.leader.LeaderTuning;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Every configuration key of every node, with its default, defined once. The reference files in
 * {@code config/} and the README's table are checked against this list by tests.
 */
public final class ConfigSchema {

  private ConfigSchema() {
  }

  /** Keys every node has: cluster membership and the NATS connection. */
  public static final List<ConfigKey> COMMON = List.of(
      ConfigKey.of("cluster.name", STRING, "chamberlain",
          "Hazelcast cluster name; nodes only join a cluster with the same name"),
      ConfigKey.of("cluster.host", STRING, "127.0.0.1",
          "interface Hazelcast and the event bus bind to and advertise"),
      ConfigKey.of("cluster.port", INT, 5701,
          "Hazelcast member port (the next free one is taken if busy and cluster.portAutoIncrement is on)"),
      ConfigKey.of("cluster.portAutoIncrement", BOOLEAN, true,
          "try the following ports when cluster.port is taken"),
      ConfigKey.of("cluster.kubernetesServiceDns", STRING, "",
          "on Kubernetes: the headless Service's DNS name (e.g. chamberlain-cluster.fab.svc.cluster.local); "
              + "members are found by DNS instead of cluster.members"),
      ConfigKey.of("cluster.members", STRING_LIST, List.of("127.0.0.1:5701"),
          "TCP-IP discovery: host:port of members to contact when joining (comma-separated in env)"),
      ConfigKey.of("cluster.tls.enabled", BOOLEAN, false,
          "event bus between nodes over mutual TLS: each node presents cluster.tls.certFile and accepts only peers "
              + "whose certificate cluster.tls.caFile signed (Hazelcast's own port stays plain: see README, Security)"),
      ConfigKey.of("cluster.tls.caFile", STRING, "", "PEM CA certificate(s) that signed every node's event-bus certificate"),
      ConfigKey.of("cluster.tls.certFile", STRING, "", "PEM certificate (chain) this node presents on the event bus"),
      ConfigKey.of("cluster.tls.keyFile", STRING, "", "PEM PKCS#8 private key of cluster.tls.certFile"),
      ConfigKey.of("nats.url", STRING, "nats://127.0.0.1:4222",
          "NATS server URL(s), comma-separated: list every server of a NATS cluster, so a node reaches one while another is down"),
      ConfigKey.of("nats.replicas", INT, 1,
          "copies JetStream keeps of every stream and KV bucket this node creates (1-5; 3 on a 3-server NATS cluster "
              + "survives the loss of one server; 1 on a single server); an existing one is changed to this count"),
      ConfigKey.of("nats.user", STRING, "", "NATS user name (with nats.password or nats.passwordFile)"),
      ConfigKey.of("nats.password", STRING, "", "NATS password; prefer nats.passwordFile (never logged)"),
      ConfigKey.of("nats.passwordFile", STRING, "", "file holding the NATS password (e.g. a mounted Secret)"),
      ConfigKey.of("nats.token", STRING, "", "NATS authorization token; prefer nats.tokenFile (never logged)"),
      ConfigKey.of("nats.tokenFile", STRING, "", "file holding the NATS token"),
      ConfigKey.of("nats.credsFile", STRING, "", "NATS .creds file: user JWT + NKey seed (operator mode)"),
      ConfigKey.of("nats.nkeyFile", STRING, "", "file holding a user NKey seed (SU…) for nkey users"),
      ConfigKey.of("nats.tls.enabled", BOOLEAN, false, "connect to NATS over TLS (verifying the server's certificate)"),
      ConfigKey.of("nats.tls.caFile", STRING, "", "PEM CA certificate(s) the NATS server's certificate is checked "
          + "against; empty: the JVM's default trust store"),
      ConfigKey.of("nats.tls.certFile", STRING, "", "PEM client certificate (chain) for servers that verify clients"),
      ConfigKey.of("nats.tls.keyFile", STRING, "", "PEM PKCS#8 private key of nats.tls.certFile"),
      ConfigKey.of("leader.enabled", BOOLEAN, true,
          "whether this node campaigns to be the assignment leader (one node leads at a time)"),
      ConfigKey.of("leader.minClusterMembers", INT, 2,
          "lead only while the cluster has at least this many members: a node cut off alone (frozen, partitioned) must not lead"),
      ConfigKey.of("leader.heartbeatIntervalMillis", INT, (int) LeaderTuning.DEFAULT_HEARTBEAT_INTERVAL_MILLIS,
          "heartbeat interval the leader expects from defenders"),
      ConfigKey.of("leader.missedHeartbeats", INT, LeaderTuning.DEFAULT_MISSED_HEARTBEATS_BEFORE_DEAD,
          "missed heartbeats after which a defender is declared dead (a cluster 'member removed' is faster); the silence must exceed the longest stop-the-world pause to tolerate plus one interval"),
      ConfigKey.of("leader.suspectedSilenceMillis", INT, (int) LeaderTuning.DEFAULT_SUSPECTED_SILENCE_MILLIS,
          "a defender a gateway suspects (a request outstanding past ingest.suspectAfterMillis while its heartbeat is late) is declared dead once silent this long"),
      ConfigKey.of("leader.restartGraceMillis", INT, (int) LeaderTuning.DEFAULT_RESTART_GRACE_MILLIS,
          "a defender that announced a restart keeps its chambers this long"),
      ConfigKey.of("leader.coldStart.firstRoundQuietMillis", INT, (int) LeaderTuning.DEFAULT_FIRST_ROUND_QUIET_MILLIS,
          "cold start: the first assignment waits for this much quiet after a join (simultaneous joins share it)"),
      ConfigKey.of("leader.coldStart.firstRoundMaxDelayMillis", INT, (int) LeaderTuning.DEFAULT_FIRST_ROUND_MAX_DELAY_MILLIS,
          "cold start: … but comes at most this long after the first join"),
      ConfigKey.of("leader.coldStart.settleQuietMillis", INT, (int) LeaderTuning.DEFAULT_SETTLE_QUIET_MILLIS,
          "cold start: the final round comes after this much quiet (longer tolerates slower, jittery rollouts)"),
      ConfigKey.of("leader.coldStart.intermediateRoundMillis", INT, (int) LeaderTuning.DEFAULT_INTERMEDIATE_ROUND_MILLIS,
          "cold start: while joins keep coming, one intermediate round this long after the first"),
      ConfigKey.of("leader.scaling.quietMillis", INT, (int) LeaderTuning.DEFAULT_SCALING_QUIET_MILLIS,
          "scaling: joins and leaves are batched until this much quiet …"),
      ConfigKey.of("leader.scaling.maxWindowMillis", INT, (int) LeaderTuning.DEFAULT_SCALING_MAX_WINDOW_MILLIS,
          "scaling: … but no longer than this after the first change"),
      ConfigKey.of("leader.chamberBatchMillis", INT, (int) LeaderTuning.DEFAULT_CHAMBER_BATCH_MILLIS,
          "newly registered or removed chambers are batched this long before they are placed"),
      ConfigKey.of("leader.emergencySettleMillis", INT, (int) LeaderTuning.DEFAULT_EMERGENCY_SETTLE_MILLIS,
          "how long the leader reports EMERGENCY after handling a crash"),
      ConfigKey.of("leader.epsilon", DOUBLE, AssignmentTuning.DEFAULT_EPSILON,
          "balance tolerance: every defender within ±epsilon of its weighted fair share"),
      ConfigKey.of("leader.weightSource", STRING, "formula",
          "what chambers are balanced by: formula (svidCount × hz × contextSeconds), observed (measured cost) or blend"),
      ConfigKey.of("leader.observedShare", DOUBLE, ChamberWeights.DEFAULT_OBSERVED_SHARE,
          "share of the observed cost when leader.weightSource is blend"),
      ConfigKey.of("leader.autoscale.targetUtilisation", DOUBLE, LeaderSettings.DEFAULT_TARGET_UTILISATION,
          "chamberlain_defenders_needed keeps every defender this busy at most (share of defenderMillisPerSecond)"),
      ConfigKey.of("leader.autoscale.defenderMillisPerSecond", INT, LeaderSettings.DEFAULT_DEFENDER_MILLIS_PER_SECOND,
          "milliseconds of defense work a defender of capacity 1.0 does per second"),
      ConfigKey.of("leader.autoscale.minDefenders", INT, LeaderSettings.DEFAULT_MIN_DEFENDERS,
          "the fewest defenders to run whatever the need: the surplus counts from it and a scale-in never drains below it (set it to the autoscaler's minimum replicas)"),
      ConfigKey.of("leader.autoscale.drainBeforeScaleInMillis", INT, 0,
          "drain the StatefulSet pods a scale-in will remove (ordinal ≥ the largest need of this window, and ≥ "
              + "minDefenders) before the autoscaler removes them; below its scale-down stabilization window; 0: off"),
      ConfigKey.of("sla.millis", INT, 5_000,
          "end-to-end latency SLA: slower verdicts are breaches; chambers whose defense alone is slower are flagged"),
      ConfigKey.of("chambers.file", STRING, "config/chambers.yaml",
          "chamber profiles known at start (empty to rely on auto-discovery)"));

  /**
   * The {@code nats.*} keys alone: what the tools beside a cluster (collector, defense-bench, the live
   * harness's publishers) read from the environment, so they connect exactly as the nodes do.
   */
  public static final List<ConfigKey> NATS = COMMON.stream().filter(key -> key.path().startsWith("nats.")).toList();

  /** Gateway: ingestion and the status API. */
  public static final List<ConfigKey> GATEWAY = concat(COMMON, List.of(
      ConfigKey.of("http.host", STRING, "0.0.0.0", "interface the status API listens on"),
      ConfigKey.of("http.port", INT, 8080, "port of the status API, /metrics and the dashboard"),
      ConfigKey.of("ingest.stream.storage", STRING, "file", "completions stream storage: file or memory"),
      ConfigKey.of("ingest.stream.maxAgeSeconds", INT, 7 * 24 * 3600,
          "completions older than this are dropped from the stream, judged or not"),
      ConfigKey.of("ingest.stream.maxMegabytes", INT, 1024,
          "size limit of the completions stream: above 80 % the oldest judged events are removed, un-judged ones never; "
              + "once un-judged events fill 90 % it refuses publishers until they are judged"),
      ConfigKey.of("ingest.ackWaitSeconds", INT, 10,
          "JetStream redelivers an event not acked (nor kept in progress) within this time: what a crashed gateway's events wait"),
      ConfigKey.of("ingest.maxAckPending", INT, 1000, "events held un-acked by each ingestion lane at once"),
      ConfigKey.of("ingest.lanes", INT, 1,
          "ingestion lanes the completions are split into, spread over the gateways (same on every gateway; above 1 the NATS server must map dc.*.*.completed to its lanes, see config/nats-server.conf)"),
      ConfigKey.of("ingest.requestTimeoutMillis", INT, 10_000,
          "how long the gateway waits for the owning defender's reply before retrying the event"),
      ConfigKey.of("ingest.rerouteMillis", INT, 100,
          "an event its chamber's owner cannot take yet (no owner, not serving it yet, owner gone) is held and routed again after this long, and at once on a new assignment"),
      ConfigKey.of("ingest.suspectAfterMillis", INT, 1_700,
          "a request outstanding this long beyond its chamber's own processing time, while its owner's heartbeat is late, makes this gateway report the owner to the leader as suspected (keep it above the longest pause to tolerate)"),
      ConfigKey.of("ingest.nakDelayMillis", INT, 250,
          "first redelivery delay after a timeout or a failed defense process (doubles per attempt)"),
      ConfigKey.of("ingest.maxNakDelayMillis", INT, 5_000, "cap of the redelivery delay"),
      ConfigKey.of("ingest.maxProcessingAttempts", INT, 5,
          "an event whose defense process fails this many times is dead-lettered"),
      ConfigKey.of("ingest.maxEventBytes", INT, GatewayConfig.IngestSettings.DEFAULT_MAX_EVENT_BYTES,
          "a completion event larger than this (bytes) is dead-lettered at once (reason too-large) without being read"),
      ConfigKey.of("ingest.maxClockSkewMillis", INT, GatewayConfig.IngestSettings.DEFAULT_MAX_CLOCK_SKEW_MILLIS,
          "an event whose completedAt is more than this ahead of the gateway's clock is dead-lettered at once (reason in-future; 0 to 86400000)"),
      ConfigKey.of("ingest.maxEventAgeSeconds", INT, GatewayConfig.IngestSettings.DEFAULT_MAX_EVENT_AGE_SECONDS,
          "an event whose completedAt is older than this is dead-lettered at once (reason too-old); keep it ≥ ingest.stream.maxAgeSeconds so a backlog catch-up is still judged"),
      ConfigKey.of("http.adminToken", STRING, "",
          "bearer token for operations (drain, undrain, profiles, rebalance); it also grants read; empty disables operations"),
      ConfigKey.of("http.readToken", STRING, "",
          "bearer token for the read endpoints (/api/*, /ws, /metrics); empty: they are open. Probes, the dashboard's files and /openapi.yaml stay open"),
      ConfigKey.of("http.cors.allowedOrigins", STRING_LIST, List.of(),
          "browser origins (https://host[:port]) allowed to call the API cross-origin; empty: no CORS headers, browsers refuse cross-origin calls"),
      ConfigKey.of("http.tls.certFile", STRING, "",
          "PEM certificate chain of the status API; with http.tls.keyFile it serves HTTPS only (and sends HSTS)"),
      ConfigKey.of("http.tls.keyFile", STRING, "", "PEM private key for http.tls.certFile"),
      ConfigKey.of("http.maxBodyBytes", INT, HttpSecurity.DEFAULT_MAX_BODY_BYTES,
          "largest request body (bytes); larger ones get 413"),
      ConfigKey.of("http.requestHeaderTimeoutMillis", INT, HttpSecurity.DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS,
          "a connection that has not sent a whole request head this long after opening (or after its last response) is closed: slow-header clients hold nothing for long"),
      ConfigKey.of("http.operations.ratePerMinute", INT, HttpSecurity.DEFAULT_OPERATIONS_PER_MINUTE,
          "operation requests (any POST/PUT/DELETE) one client address may make per minute; more get 429 with Retry-After; 0: no limit"),
      ConfigKey.of("http.ws.maxClients", INT, HttpSecurity.DEFAULT_MAX_LIVE_CLIENTS,
          "live-feed (WebSocket) clients served at once; more get 503")));

  /** Worker (defender). */
  public static final List<ConfigKey> WORKER = concat(COMMON, List.of(
      ConfigKey.of("defender.id", STRING, (java.util.function.Supplier<String>) ConfigSchema::defaultDefenderId,
          "stable defender id (same id after a restart = same defender); default: host name")
          .withAliasEnv("DEFENDER_ID"),
      ConfigKey.of("defender.idPool.size", INT, 0,
          "claim the defender id from a pool of this many (prefix1 … prefixN) kept in NATS, instead of defender.id: "
              + "stable ids for replicas without a name of their own (docker compose --scale); 0: off"),
      ConfigKey.of("defender.idPool.prefix", STRING, "defender-", "ids of the defender.idPool"),
      ConfigKey.of("defender.version", STRING, "0.1.0", "version announced to the leader"),
      ConfigKey.of("defender.capacity", DOUBLE, 1.0, "relative capacity; 2.0 takes twice the weight"),
      ConfigKey.of("defender.heartbeatMillis", INT, (int) LeaderTuning.DEFAULT_HEARTBEAT_INTERVAL_MILLIS, "heartbeat interval (keep it equal to leader.heartbeatIntervalMillis)"),
      ConfigKey.of("defender.handoffTimeoutMillis", INT, 10_000,
          "a chamber moving away waits this long for its event in flight before letting go (≥ the slowest defense process)"),
      ConfigKey.of("defender.workerThreads", INT, 4,
          "events judged at once (trace in memory, defense running); their NATS round trips wait on virtual threads beside them"),
      ConfigKey.of("defense.processesFile", STRING, "",
          "YAML list of {match, process, options} choosing a defense process per chamber pattern; empty: built-in for all"),
      ConfigKey.of("defense.generatedFaultRate", DOUBLE, 0.02,
          "events without a traceRef get a generated trace; share of those with an injected fault"),
      ConfigKey.of("http.host", STRING, "0.0.0.0", "interface this worker's /health, /ready and /metrics listen on"),
      ConfigKey.of("http.port", INT, 8081,
          "port of this worker's /health, /ready and /metrics (0: any free port, logged at start)"),
      ConfigKey.of("http.readToken", STRING, "",
          "bearer token for this worker's /metrics, as the gateway's; empty: open. /health and /ready stay open (orchestrator probes)")));

  private static List<ConfigKey> concat(List<ConfigKey> first, List<ConfigKey> second) {
    List<ConfigKey> all = new ArrayList<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }

  /** The host name ({@code HOSTNAME}, else the resolver's): the default defender id. */
  public static String defaultDefenderId() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "defender";
      }
    }
    // Host names may contain dots; keep the first label so the id passes the naming rule.
    String label = host.split("\\.")[0].replaceAll("[^A-Za-z0-9_-]", "-");
    return label.isEmpty() ? "defender" : label;
  }
}
