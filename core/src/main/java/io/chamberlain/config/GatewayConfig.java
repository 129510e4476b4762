package io.chamberlain.config;

import java.time.Duration;

/** The gateway's configuration, read once at startup and validated as a whole. */
public record GatewayConfig(
    ClusterSettings cluster,
    NatsSettings nats,
    String httpHost,
    int httpPort,
    IngestSettings ingest,
    String adminToken,
    Duration sla,
    LeaderSettings leader) {

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
      int maxEventBytes) {

    /** Lanes are named by a subject token and each has a durable consumer: a few dozen at most make sense. */
    public static final int MAX_LANES = 64;
    /** A completion event is a few hundred bytes; one above this is refused without being read. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 64 * 1024;
    /** Bounds of {@code ingest.maxEventBytes}: a valid event fits in 1 KiB; 8 MiB is NATS's largest advised max_payload. */
    public static final int MIN_EVENT_BYTES = 1024;
    public static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;

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
    }
  }

  public GatewayConfig {
    java.util.Objects.requireNonNull(nats, "nats");
    Validation.port("http.port", httpPort);
    Validation.positive("sla.millis", sla.toMillis());
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
        c.integer("ingest.maxEventBytes"));
    return new GatewayConfig(ClusterSettings.from(c), NatsSettings.from(c), c.string("http.host"),
        c.integer("http.port"), ingest, c.string("http.adminToken"),
        Duration.ofMillis(c.integer("sla.millis")), LeaderSettings.from(c));
  }
}
