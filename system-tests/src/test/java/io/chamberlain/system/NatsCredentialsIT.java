package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.system.live.Await;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.testkit.TestClusters;
import io.chamberlain.tools.launch.ChamberlainInstall;
import io.chamberlain.tools.launch.NodeLauncher;
import io.chamberlain.tools.launch.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real node processes against a nats-server that requires a user and password, configured the way
 * operators do it (environment variables): a gateway with the right password comes up; a worker
 * with a stale one stops, bounded, naming the server's reason; and neither password appears anywhere
 * in either process's output.
 */
class NatsCredentialsIT {

  private static final ChamberlainInstall INSTALL = ChamberlainInstall.locate();

  @TempDir
  Path logs;

  @Test
  void nodesAuthenticateFromTheEnvironmentAndNeverLogTheSecret() throws Exception {
    SecureRandom random = new SecureRandom();
    String password = "pw-" + Long.toHexString(random.nextLong());
    String stalePassword = "stale-" + Long.toHexString(random.nextLong());
    NodeLauncher launcher = NodeLauncher.of(List.of("-Xmx256m"));
    try (NatsTestServer nats = NatsTestServer.start(
        "authorization { users = [ {user: \"chamberlain\", password: \"" + password + "\"} ] }")) {
      TestClusters cluster = new TestClusters(2);
      Map<String, String> gatewayEnv = nodeEnvironment(nats, cluster, 0);
      gatewayEnv.put("CHAMBERLAIN_NATS_PASSWORD", password);
      gatewayEnv.put("CHAMBERLAIN_HTTP_PORT", Integer.toString(TestClusters.freePort()));
      NodeProcess gateway = launcher.start("gateway", INSTALL.gatewayJar(), List.of(), gatewayEnv,
          NodeProcess.InheritedSettings.DROP, logs);
      try {
        Await.until("the gateway is up", seconds(120), () -> {
          gateway.requireAlive();
          return gateway.findInLog(Pattern.compile("(gateway: up on node)")).isPresent();
        });

        Path staleFile = Files.writeString(logs.resolve("stale-password"), stalePassword + "\n");
        Map<String, String> workerEnv = nodeEnvironment(nats, cluster, 1);
        workerEnv.put("CHAMBERLAIN_NATS_PASSWORD_FILE", staleFile.toString());
        workerEnv.put("CHAMBERLAIN_DEFENDER_ID", "defender-1");
        workerEnv.put("CHAMBERLAIN_HTTP_PORT", "0");
        NodeProcess worker = launcher.start("worker", INSTALL.workerJar(), List.of(), workerEnv,
            NodeProcess.InheritedSettings.DROP, logs);
        int exit = worker.awaitExit(seconds(120));
        assertNotEquals(0, exit, "a worker refused by NATS must stop");
        assertTrue(worker.findInLog(Pattern.compile("(refused connection \\[defender-defender-1\\] with user \\[chamberlain\\]: "
            + "Authorization Violation)")).isPresent(), "the worker's log names the reason: " + Files.readString(worker.log()));
        assertNoSecret(worker.log(), password, stalePassword);
      } finally {
        gateway.terminate();
        gateway.awaitExit(seconds(60));
      }
      assertNoSecret(gateway.log(), password, stalePassword);
    }
  }

  private static Map<String, String> nodeEnvironment(NatsTestServer nats, TestClusters cluster, int member) {
    Map<String, String> env = new HashMap<>();
    env.put("CHAMBERLAIN_NATS_URL", nats.url());
    env.put("CHAMBERLAIN_NATS_USER", "chamberlain");
    env.put("CHAMBERLAIN_CLUSTER_NAME", cluster.name());
    env.put("CHAMBERLAIN_CLUSTER_HOST", "127.0.0.1");
    env.put("CHAMBERLAIN_CLUSTER_PORT", Integer.toString(cluster.port(member)));
    env.put("CHAMBERLAIN_CLUSTER_PORT_AUTO_INCREMENT", "false");
    env.put("CHAMBERLAIN_CLUSTER_MEMBERS", "127.0.0.1:" + cluster.port(0) + ",127.0.0.1:" + cluster.port(1));
    env.put("CHAMBERLAIN_HTTP_HOST", "127.0.0.1");
    env.put("CHAMBERLAIN_CHAMBERS_FILE", INSTALL.root().resolve("config/chambers.yaml").toString());
    return env;
  }

  private static void assertNoSecret(Path log, String... secrets) throws Exception {
    String output = Files.readString(log);
    assertFalse(output.isBlank(), log + " is empty: nothing was checked");
    for (String secret : secrets) {
      assertFalse(output.contains(secret), log + " shows a NATS password:\n" + output);
    }
  }
}
