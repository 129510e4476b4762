package io.chamberlain.config;

import io.chamberlain.domain.Ids;
import java.time.Duration;

/** A defender's configuration, read once at startup and validated as a whole. */
public record WorkerConfig(
    ClusterSettings cluster,
    NatsSettings nats,
    int natsReplicas,
    String defenderId,
    String version,
    double capacity,
    Duration heartbeatInterval,
    Duration handoffTimeout,
    int workerThreads,
    String defenseProcessesFile,
    double generatedFaultRate,
    LeaderSettings leader,
    String httpHost,
    int httpPort,
    String httpReadToken) {

  /** A worker whose {@code /metrics} is open (no {@code http.readToken}). */
  public WorkerConfig(ClusterSettings cluster, NatsSettings nats, int natsReplicas, String defenderId, String version,
      double capacity, Duration heartbeatInterval, Duration handoffTimeout, int workerThreads, String defenseProcessesFile,
      double generatedFaultRate, LeaderSettings leader, String httpHost, int httpPort) {
    this(cluster, nats, natsReplicas, defenderId, version, capacity, heartbeatInterval, handoffTimeout, workerThreads,
        defenseProcessesFile, generatedFaultRate, leader, httpHost, httpPort, "");
  }

  public WorkerConfig {
    java.util.Objects.requireNonNull(nats, "nats");
    Validation.natsReplicas(natsReplicas);
    if (Ids.problem(defenderId) != null) {
      throw new ConfigException("defender.id '" + defenderId + "' " + Ids.problem(defenderId));
    }
    Validation.notBlank("defender.version", version);
    if (!(capacity > 0) || Double.isInfinite(capacity)) {
      throw new ConfigException("defender.capacity must be > 0, was " + capacity);
    }
    Validation.atLeast("defender.heartbeatMillis", heartbeatInterval.toMillis(), 100);
    Validation.positive("defender.handoffTimeoutMillis", handoffTimeout.toMillis());
    Validation.positive("defender.workerThreads", workerThreads);
    if (!(generatedFaultRate >= 0 && generatedFaultRate <= 1)) {
      throw new ConfigException("defense.generatedFaultRate must be in [0, 1], was " + generatedFaultRate);
    }
    Validation.notBlank("http.host", httpHost);
    if (httpPort != 0) {
      Validation.port("http.port", httpPort);
    }
    HttpSecurity.checkReadToken(httpReadToken);
  }

  @Override
  public String toString() {
    // Never the read token: configs get logged.
    return "WorkerConfig[cluster=" + cluster + ", nats=" + nats + ", natsReplicas=" + natsReplicas + ", defenderId="
        + defenderId + ", version=" + version + ", capacity=" + capacity + ", heartbeatInterval=" + heartbeatInterval
        + ", handoffTimeout=" + handoffTimeout + ", workerThreads=" + workerThreads + ", defenseProcessesFile="
        + defenseProcessesFile + ", generatedFaultRate=" + generatedFaultRate + ", leader=" + leader + ", httpHost="
        + httpHost + ", httpPort=" + httpPort + ", httpReadToken=" + (httpReadToken.isEmpty() ? "(none)" : "(set)") + "]";
  }

  /** The NATS server URL(s) (of {@link #nats}). */
  public String natsUrl() {
    return nats.url();
  }

  public static WorkerConfig from(ResolvedConfig c) {
    return new WorkerConfig(ClusterSettings.from(c), NatsSettings.from(c), c.integer("nats.replicas"),
        c.string("defender.id"),
        c.string("defender.version"), c.decimal("defender.capacity"),
        Duration.ofMillis(c.integer("defender.heartbeatMillis")), Duration.ofMillis(c.integer("defender.handoffTimeoutMillis")),
        c.integer("defender.workerThreads"),
        c.string("defense.processesFile"), c.decimal("defense.generatedFaultRate"), LeaderSettings.from(c),
        c.string("http.host"), c.integer("http.port"), c.string("http.readToken"));
  }
}
