package io.chamberlain.worker;

import io.chamberlain.cluster.CommandErrors;
import io.chamberlain.cluster.NodeLogging;
import io.chamberlain.cluster.PauseDetector;
import io.chamberlain.cluster.RunUntilSignalled;
import io.chamberlain.config.ConfigLoader;
import io.chamberlain.config.ConfigSchema;
import io.chamberlain.config.IdPoolSettings;
import io.chamberlain.config.ResolvedConfig;
import io.chamberlain.config.WorkerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chamberlain worker}: runs one defender until SIGTERM/SIGINT, then stops gracefully. */
@Command(name = "worker", mixinStandardHelpOptions = true, version = "chamberlain worker 0.1.0",
    description = "Runs a defender node: owns chambers, runs their defense process, heartbeats.",
    footer = "Every config key can be set with an env variable CHAMBERLAIN_<KEY_PATH> (see README).")
public final class WorkerMain implements Callable<Integer> {

  /** Exit code of a worker whose pooled defender id another process claimed (EX_TEMPFAIL: start it again). */
  static final int LOST_ID_EXIT_CODE = 75;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config (default: built-in defaults + env)")
  Path configFile;

  @Option(names = "--id", paramLabel = "ID", description = "defender id (overrides defender.id / DEFENDER_ID)")
  String defenderId;

  @Option(names = "--stop-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "how long a graceful stop may take (default: ${DEFAULT-VALUE})")
  int stopTimeoutSeconds;

  public static void main(String[] args) {
    System.exit(CommandErrors.commandLine(new WorkerMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    NodeLogging.init();
    java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
    if (defenderId != null) {
      env.put("CHAMBERLAIN_DEFENDER_ID", defenderId);
    }
    ResolvedConfig resolved = ConfigLoader.load(configFile, ConfigSchema.WORKER, env);
    IdPoolSettings pool = resolved.build(IdPoolSettings::from);
    PooledDefenderId pooled = null;
    if (pool.enabled()) {
      // The id comes from the pool: claimed before the node starts, released after it stopped.
      WorkerConfig unpooled = resolved.build(WorkerConfig::from);
      pooled = PooledDefenderId.claim(unpooled.nats(), unpooled.natsReplicas(), pool, ConfigSchema.defaultDefenderId(),
          () -> Runtime.getRuntime().halt(LOST_ID_EXIT_CODE));
      env.put("CHAMBERLAIN_DEFENDER_ID", pooled.id());
      resolved = ConfigLoader.load(configFile, ConfigSchema.WORKER, env);
    }
    WorkerConfig config = resolved.build(WorkerConfig::from);
    PauseDetector.start(config.cluster(), "worker");
    WorkerNode node;
    try {
      node = WorkerNode.start(config)
          .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception | Error e) {
      if (pooled != null) {
        pooled.close();
      }
      throw e;
    }
    PooledDefenderId claimed = pooled;
    RunUntilSignalled.await("worker", () -> claimed == null ? node.stop() : node.stop().whenComplete((done, failed) -> {
      try {
        claimed.close();
      } catch (Exception e) {
        System.err.println("worker: could not release defender id [" + claimed.id() + "]: " + e);
      }
    }), stopTimeoutSeconds);
    return 0;
  }
}
