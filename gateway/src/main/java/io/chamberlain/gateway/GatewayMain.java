package io.chamberlain.gateway;

import io.chamberlain.cluster.CommandErrors;
import io.chamberlain.cluster.NodeLogging;
import io.chamberlain.cluster.PauseDetector;
import io.chamberlain.cluster.RunUntilSignalled;
import io.chamberlain.config.ConfigLoader;
import io.chamberlain.config.ConfigSchema;
import io.chamberlain.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chamberlain gateway}: runs a gateway until SIGTERM/SIGINT. The same jar carries the
 * operators' {@code status} command; the tools (demo, collector) are in the tools jar.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, version = "chamberlain gateway 0.1.0",
    description = "Runs a gateway node: NATS ingestion to the owning defenders, status API, leader.",
    subcommands = {StatusCommand.class},
    footer = "Every config key can be set with an env variable CHAMBERLAIN_<KEY_PATH> (see README).")
public final class GatewayMain implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config (default: built-in defaults + env)")
  Path configFile;

  @Option(names = "--stop-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "how long a graceful stop may take (default: ${DEFAULT-VALUE})")
  int stopTimeoutSeconds;

  public static void main(String[] args) {
    System.exit(CommandErrors.commandLine(new GatewayMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    NodeLogging.init();
    GatewayConfig config = ConfigLoader.load(configFile, ConfigSchema.GATEWAY, System.getenv()).build(GatewayConfig::from);
    PauseDetector.start(config.cluster(), "gateway");
    GatewayNode gateway = GatewayNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    RunUntilSignalled.await("gateway", gateway::stop, stopTimeoutSeconds);
    return 0;
  }
}
