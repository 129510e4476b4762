package io.chamberlain.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chamberlain.gateway.GatewayMain;
import io.chamberlain.worker.WorkerMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The tools live in the tools jar only: neither node's command line offers one, and neither node's
 * runnable jar carries a tool's class — the image and the VMs run node jars, and a demo supervisor
 * or a benchmark has no business there.
 */
class NodeJarsCarryNoToolTest {

  static final Set<String> TOOLS = Set.of("demo", "collector", "defense-bench", "defense-quality");

  /** The tools' classes and the classes only they use, in whatever package they might come back. */
  private static final Pattern TOOL_CLASS = Pattern.compile("(^io/chamberlain/tools/.*|.*/(DemoCommand|CollectorCommand"
      + "|DefenseBenchCommand|DefenseQualityCommand|ProcessingBenchmark|BenchmarkStorage|NatsBenchmarkStorage"
      + "|DetectionQuality)(\\$.*)?\\.class)$");

  @Test
  void theToolsJarOffersEveryToolAndNothingElse() {
    assertEquals(TOOLS, new CommandLine(new ToolsMain()).getSubcommands().keySet());
  }

  @Test
  void neitherNodeOffersATool() {
    for (Object node : List.of(new GatewayMain(), new WorkerMain())) {
      Set<String> offered = new CommandLine(node).getSubcommands().keySet();
      assertTrue(offered.stream().noneMatch(TOOLS::contains),
          node.getClass().getSimpleName() + " offers a tool among its subcommands " + offered);
    }
  }

  @Test
  void theGatewayKeepsTheOperatorsStatusCommand() {
    assertEquals(Set.of("status"), new CommandLine(new GatewayMain()).getSubcommands().keySet());
  }

  /**
   * The runnable jar the reactor built for the node (the gateway and the worker are packaged before
   * this module's tests run). Skipped when there is none, or only one older than the node's classes
   * (a {@code test} run that stopped before {@code package}): that jar is not this build's.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gateway", "worker"})
  void neitherNodeJarCarriesAToolClass(String node) throws Exception {
    Class<?> main = node.equals("gateway") ? GatewayMain.class : WorkerMain.class;
    Path built = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
    // target/classes (before package) or target/chamberlain-NODE.jar (after): the runnable jar is beside it
    Path jar = built.getParent().resolve("chamberlain-" + node + "-all.jar");
    assumeTrue(Files.isRegularFile(jar), "no " + jar + " built");
    Path mainClass = built.resolve(main.getName().replace('.', '/') + ".class");
    assumeTrue(!Files.isDirectory(built) || !Files.isRegularFile(mainClass)
        || !Files.getLastModifiedTime(jar).toInstant().isBefore(Files.getLastModifiedTime(mainClass).toInstant()),
        jar + " is older than " + mainClass + ": not this build's");
    try (JarFile entries = new JarFile(jar.toFile())) {
      List<String> tools = entries.stream().map(entry -> entry.getName()).filter(name -> TOOL_CLASS.matcher(name).matches())
          .toList();
      assertEquals(List.of(), tools, jar + " carries tool classes");
      assertTrue(entries.getEntry(main.getName().replace('.', '/') + ".class") != null, jar + " is the " + node + "'s jar");
    }
  }
}
