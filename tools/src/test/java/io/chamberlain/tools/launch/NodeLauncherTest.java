package io.chamberlain.tools.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line and the environment every node is started with, the demo's and the harness's alike. */
class NodeLauncherTest {

  private static final Path JAVA = Path.of("/jdk/bin/java");
  private static final Path JAR = Path.of("/app/gateway/target/chamberlain-gateway-all.jar");

  @TempDir
  Path root;

  @Test
  void aNodeIsJavaItsOptionsMinusJarTheJarAndItsArguments() {
    NodeLauncher launcher = NodeLauncher.of(JAVA, 21, List.of("-Xmx192m", "-XX:+UseSerialGC"));
    assertEquals(List.of("/jdk/bin/java", "-Xmx192m", "-XX:+UseSerialGC", "-jar", JAR.toString(), "status", "--json"),
        launcher.command(JAR, List.of("status", "--json")));
  }

  @Test
  void aJarsOwnOptionsComeAfterEveryNodesAndBeforeTheJar() {
    NodeLauncher launcher = NodeLauncher.of(JAVA, 21, List.of("-Xmx192m"))
        .withJarOptions(jar -> List.of("-XX:AOTCache=/aot/" + jar.getFileName() + ".aot"));
    assertEquals(List.of("/jdk/bin/java", "-Xmx192m", "-XX:AOTCache=/aot/chamberlain-gateway-all.jar.aot", "-jar",
        JAR.toString()), launcher.command(JAR, List.of()));
  }

  @Test
  void onJava23AndLaterHazelcastsUnsafeAccessIsAllowedOnceWhateverTheOptionsSay() {
    assertEquals(List.of("-Xmx192m", "--sun-misc-unsafe-memory-access=allow"),
        NodeLauncher.of(JAVA, 25, List.of("-Xmx192m")).jvmOptions());
    assertEquals(List.of("--sun-misc-unsafe-memory-access=allow", "-Xmx192m"),
        NodeLauncher.of(JAVA, 25, List.of("--sun-misc-unsafe-memory-access=allow", "-Xmx192m")).jvmOptions(),
        "bin/chamberlain's JAVA_OPTS say it already");
    assertEquals(List.of("-Xmx192m"), NodeLauncher.of(JAVA, 21, List.of("-Xmx192m")).jvmOptions());
  }

  @Test
  void theLaunchersOptionsAreJavaOptsElseConfigJvmOptions() throws Exception {
    Files.createDirectories(root.resolve("config"));
    Files.writeString(root.resolve("config/jvm.options"), "# comment\n-Xms64m\n\n  -Xmx256m -XX:+UseSerialGC\n");
    assertEquals(List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC"), NodeLauncher.launcherJvmOptions(Map.of(), root));
    assertEquals(List.of("-Xmx1g", "-XX:+UseG1GC"),
        NodeLauncher.launcherJvmOptions(Map.of("JAVA_OPTS", " -Xmx1g  -XX:+UseG1GC "), root));
    assertEquals(List.of(), NodeLauncher.launcherJvmOptions(Map.of(), root.resolve("elsewhere")), "no file, no options");
  }

  @Test
  void theHarnessDropsTheShellsNodeSettingsTheDemoKeepsThemUnderItsOwn() {
    Map<String, String> shell = Map.of("PATH", "/usr/bin", "CHAMBERLAIN_CLUSTER_NAME", "mine",
        "CHAMBERLAIN_DEFENSE_PROCESSES_FILE", "rules.yaml", "DEFENDER_ID", "defender-9");
    Map<String, String> given = Map.of("CHAMBERLAIN_CLUSTER_NAME", "demo-1", "CHAMBERLAIN_NATS_URL", "nats://127.0.0.1:4222");

    Map<String, String> dropped = new HashMap<>(shell);
    NodeProcess.configure(dropped, given, NodeProcess.InheritedSettings.DROP);
    assertEquals(Map.of("PATH", "/usr/bin", "CHAMBERLAIN_CLUSTER_NAME", "demo-1", "CHAMBERLAIN_NATS_URL", "nats://127.0.0.1:4222"),
        dropped);

    Map<String, String> kept = new HashMap<>(shell);
    NodeProcess.configure(kept, given, NodeProcess.InheritedSettings.KEEP);
    assertEquals(Map.of("PATH", "/usr/bin", "CHAMBERLAIN_CLUSTER_NAME", "demo-1", "CHAMBERLAIN_NATS_URL", "nats://127.0.0.1:4222",
        "CHAMBERLAIN_DEFENSE_PROCESSES_FILE", "rules.yaml", "DEFENDER_ID", "defender-9"), kept);
  }

  @Test
  void natsServerRunsWithJetStreamOnLoopbackWithItsOwnStore() {
    assertEquals(List.of("/usr/sbin/nats-server", "-js", "-a", "127.0.0.1", "-p", "4222", "-sd", "/tmp/run/jetstream"),
        NodeLauncher.natsServer(Path.of("/usr/sbin/nats-server"), 4222, Path.of("/tmp/run/jetstream")));
  }
}
