package io.chamberlain.config;

import java.time.Duration;

/** The gateway's configuration, read once at startup and validated as a whole. */
public record GatewayConfig(
    ClusterSettings cluster,
    NatsSettings nats,
    int natsReplicas,
    String httpHost,
    int httpPort,
    IngestSettings ingest,
    String adminToken,
    Duration sla,
    LeaderSettings leader,
    HttpSecurity http) {

  /** How the completions stream is kept and consumed. */
  public record IngestSettings(
      String storage,
      Duration maxAge,
      long maxBytes,
      Duration ackWait,
      int maxAckPending,
      Duration requestTimeout,
      Duration rerouteDelay,
      Duration suspectAfter,
      Duration nakDelay,
      Duration maxNakDelay,
      int maxProcessingAttempts,
      int lanes,
      int maxEventBytes,
      Duration maxClockSkew,
      Duration maxEventAge) {

    /** Lanes are named by a subject token and each has a durable consumer: a few dozen at most make sense. */
    public static final int MAX_LANES = 64;
    /** A completion event is a few hundred bytes; one above this is refused without being read. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 64 * 1024;
    /** Bounds of {@code ingest.maxEventBytes}: a valid event fits in 1 KiB; 8 MiB is NATS's largest advised max_payload. */
    public static final int MIN_EVENT_BYTES = 1024;
    public static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;
    /** Collectors' clocks are NTP-synchronised; a minute ahead is a broken clock or a unit mix-up (µs, ns). */
    public static final int DEFAULT_MAX_CLOCK_SKEW_MILLIS = 60_000;
    /** Longest skew accepted: beyond a day the check would no longer catch a clock set wrong. */
    public static final int MAX_CLOCK_SKEW_MILLIS = 24 * 3600 * 1000;
    /** Default age limit = the stream's default retention: whatever a backlog catch-up still holds is judged. */
    public static final int DEFAULT_MAX_EVENT_AGE_SECONDS = 7 * 24 * 3600;

    /** Without the completedAt window's keys: the default skew, and events as old as the stream keeps them. */
    public IngestSettings(String storage, Duration maxAge, long maxBytes, Duration ackWait, int maxAckPending,
        Duration requestTimeout, Duration rerouteDelay, Duration suspectAfter, Duration nakDelay, Duration maxNakDelay,
        int maxProcessingAttempts, int lanes, int maxEventBytes) {
      this(storage, maxAge, maxBytes, ackWait, maxAckPending, requestTimeout, rerouteDelay, suspectAfter, nakDelay,
          maxNakDelay, maxProcessingAttempts, lanes, maxEventBytes, Duration.ofMillis(DEFAULT_MAX_CLOCK_SKEW_MILLIS), maxAge);
    }

    public IngestSettings {
      if (!storage.equals("file") && !storage.equals("memory")) {
        throw new ConfigException("ingest.stream.storage must be 'file' or 'memory', was '" + storage + "'");
      }
      Validation.positive("ingest.stream.maxAgeSeconds", maxAge.toSeconds());
      Validation.positive("ingest.stream.maxMegabytes", maxBytes);
      Validation.atLeast("ingest.ackWaitSeconds", ackWait.toSeconds(), 2);
      Validation.positive("ingest.maxAckPending", maxAckPending);
      Validation.positive("ingest.requestTimeoutMillis", requestTimeout.toMillis());
      Validation.positive("ingest.rerouteMillis", rerouteDelay.toMillis());
      Validation.positive("ingest.suspectAfterMillis", suspectAfter.toMillis());
      Validation.positive("ingest.nakDelayMillis", nakDelay.toMillis());
      Validation.atLeast("ingest.maxNakDelayMillis", maxNakDelay.toMillis(), nakDelay.toMillis());
      Validation.positive("ingest.maxProcessingAttempts", maxProcessingAttempts);
      Validation.positive("ingest.lanes", lanes);
      Validation.atMost("ingest.lanes", lanes, MAX_LANES);
      Validation.atLeast("ingest.maxEventBytes", maxEventBytes, MIN_EVENT_BYTES);
      Validation.atMost("ingest.maxEventBytes", maxEventBytes, MAX_EVENT_BYTES);
      Validation.atLeast("ingest.maxClockSkewMillis", maxClockSkew.toMillis(), 0);
      Validation.atMost("ingest.maxClockSkewMillis", maxClockSkew.toMillis(), MAX_CLOCK_SKEW_MILLIS);
      Validation.positive("ingest.maxEventAgeSeconds", maxEventAge.toSeconds());
    }
  }

  /** A gateway whose status API has no security options set ({@link HttpSecurity#OPEN}). */
  public GatewayConfig(ClusterSettings cluster, NatsSettings nats, int natsReplicas, String httpHost, int httpPort,
      IngestSettings ingest, String adminToken, Duration sla, LeaderSettings leader) {
    this(cluster, nats, natsReplicas, httpHost, httpPort, ingest, adminToken, sla, leader, HttpSecurity.OPEN);
  }

  public GatewayConfig {
    java.util.Objects.requireNonNull(nats, "nats");
    Validation.natsReplicas(natsReplicas);
    Validation.notBlank("http.host", httpHost);
    Validation.port("http.port", httpPort);
    Validation.positive("sla.millis", sla.toMillis());
  }

  @Override
  public String toString() {
    // Never the operations token: configs get logged.
    return "GatewayConfig[cluster=" + cluster + ", nats=" + nats + ", natsReplicas=" + natsReplicas + ", httpHost="
        + httpHost + ", httpPort=" + httpPort + ", ingest=" + ingest + ", adminToken=" + (adminToken.isEmpty() ? "(none)" : "(set)") + ", sla=" + sla
        + ", leader=" + leader + ", http=" + http + "]";
  }

  /** The NATS server URL(s) (of {@link #nats}). */
  public String natsUrl() {
    return nats.url();
  }

  public static GatewayConfig from(ResolvedConfig c) {
    IngestSettings ingest = new IngestSettings(
        c.string("ingest.stream.storage"),
        Duration.ofSeconds(c.integer("ingest.stream.maxAgeSeconds")),
        c.integer("ingest.stream.maxMegabytes") * 1024L * 1024L,
        Duration.ofSeconds(c.integer("ingest.ackWaitSeconds")),
        c.integer("ingest.maxAckPending"),
        Duration.ofMillis(c.integer("ingest.requestTimeoutMillis")),
        Duration.ofMillis(c.integer("ingest.rerouteMillis")),
        Duration.ofMillis(c.integer("ingest.suspectAfterMillis")),
        Duration.ofMillis(c.integer("ingest.nakDelayMillis")),
        Duration.ofMillis(c.integer("ingest.maxNakDelayMillis")),
        c.integer("ingest.maxProcessingAttempts"),
        c.integer("ingest.lanes"),
        c.integer("ingest.maxEventBytes"),
        Duration.ofMillis(c.integer("ingest.maxClockSkewMillis")),
        Duration.ofSeconds(c.integer("ingest.maxEventAgeSeconds")));
    return new GatewayConfig(ClusterSettings.from(c), NatsSettings.from(c), c.integer("nats.replicas"),
        c.string("http.host"),
        c.integer("http.port"), ingest, c.string("http.adminToken"),
        Duration.ofMillis(c.integer("sla.millis")), LeaderSettings.from(c), HttpSecurity.from(c));
  }
}
