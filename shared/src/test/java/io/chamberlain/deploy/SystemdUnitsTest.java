package io.chamberlain.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.config.ConfigKey;
import io.chamberlain.config.ConfigLoader;
import io.chamberlain.config.ConfigSchema;
import io.chamberlain.config.GatewayConfig;
import io.chamberlain.config.IdPoolSettings;
import io.chamberlain.config.ResolvedConfig;
import io.chamberlain.config.WorkerConfig;
import io.chamberlain.testkit.TestTimeouts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/systemd cannot be installed on this machine (no systemd running, no /opt/chamberlain), so it
 * is kept honest by reading it: each unit runs the container's command line through the launcher
 * without building, gives the node at least its drain to stop (the same grace as on Kubernetes),
 * treats the JVM's SIGTERM exit as clean, and the shared environment file resolves through the
 * nodes' own config code to a valid configuration. {@code systemd-analyze verify} checks the syntax
 * where it exists.
 */
class SystemdUnitsTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path SYSTEMD = ROOT.resolve("deploy/systemd");
  /** Where the units expect the installation (bin/chamberlain's ROOT) and the node config files. */
  static final String INSTALL = "/opt/chamberlain";
  static final String CONFIG_DIR = "/etc/chamberlain";
  /** The instance the worker template is checked with. */
  static final String INSTANCE = "defender-1";
  /** Variables that are not config keys: the launcher's. */
  static final String PREBUILT = "CHAMBERLAIN_PREBUILT";
  static final String JAVA_OPTS = "JAVA_OPTS";
  /**
   * Per node, the config keys that bound its graceful stop: the worker's handoff (each chamber
   * finishing its event in flight), the gateway's wait for its requests in flight.
   */
  static final Map<String, List<String>> STOP_KEYS = Map.of(
      "worker", List.of("defender.handoffTimeoutMillis"),
      "gateway", List.of("ingest.requestTimeoutMillis"));
  /** The Kubernetes object running the same node: its terminationGracePeriodSeconds is the unit's stop timeout. */
  static final Map<String, String> KUBERNETES = Map.of(
      "worker", "deploy/k8s/base/worker-statefulset.yaml",
      "gateway", "deploy/k8s/base/gateway-deployment.yaml");

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "worker"})
  void runsTheContainersCommandLineThroughTheLauncherWithoutBuilding(String node) throws Exception {
    Unit unit = unit(node);
    String execStart = unit.one("Service", "ExecStart");
    String expected = INSTALL + "/bin/chamberlain " + node + " --config " + CONFIG_DIR + "/" + node + ".yaml";
    assertEquals(expected, execStart, "ExecStart");
    assertTrue(Files.isRegularFile(ROOT.resolve("config/" + node + ".yaml")),
        "config/" + node + ".yaml, installed as " + CONFIG_DIR + "/" + node + ".yaml, exists");
    assertEquals(INSTALL, unit.one("Service", "WorkingDirectory"),
        "the working directory is the launcher's root: config/chambers.yaml resolves against it");

    // The container runs the same arguments, with its config directory.
    List<String> containerArgs = container(node).get("args") instanceof List<?> args
        ? args.stream().map(String::valueOf).toList() : List.of();
    List<String> unitArgs = List.of(execStart.split(" +")).subList(1, 4);
    assertEquals(containerArgs.stream().map(arg -> arg.replace("/app/config/", CONFIG_DIR + "/")).toList(), unitArgs,
        "the unit's arguments are the container's (" + KUBERNETES.get(node) + ")");

    String launcher = Files.readString(ROOT.resolve("bin/chamberlain"));
    Map<String, String> commands = launcherCommands(launcher);
    assertTrue(commands.containsKey(node), "bin/chamberlain accepts the command '" + node + "': " + commands.keySet());
    assertTrue(commands.get(node).contains("exec \"$JAVA\""),
        "bin/chamberlain execs the JVM for '" + node + "', so SIGTERM (KillMode) reaches it: " + commands.get(node));

    Matcher prebuilt = Pattern.compile("\"\\$\\{" + PREBUILT + ":-}\" == \"?(\\w+)\"?").matcher(launcher);
    assertTrue(prebuilt.find(), "bin/chamberlain reads " + PREBUILT);
    assertEquals(prebuilt.group(1), unit.environment().get(PREBUILT),
        "the unit tells the launcher its jars are installed: no sources, no Maven");
    assertEquals("simple", unit.one("Service", "Type"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "worker"})
  void stopsLikeAPodItsGracePeriodCoveringTheDrain(String node) throws Exception {
    Unit unit = unit(node);
    assertEquals("SIGTERM", unit.one("Service", "KillSignal"), "SIGTERM starts the node's graceful stop");
    assertTrue(Set.of("mixed", "process").contains(unit.one("Service", "KillMode")),
        "the SIGTERM goes to the JVM only, which stops its children itself: " + unit.one("Service", "KillMode"));
    assertTrue(List.of(unit.one("Service", "SuccessExitStatus").split("\\s+")).contains("143"),
        "the JVM exits 128 + SIGTERM after a graceful stop: a clean stop, not a failure");
    assertEquals("on-failure", unit.one("Service", "Restart"));

    long timeoutStopMillis = seconds(unit.one("Service", "TimeoutStopSec")) * 1000;
    List<ConfigKey> schema = schema(node);
    ResolvedConfig resolved = resolve(node, unit.environment());
    for (String path : STOP_KEYS.get(node)) {
      ConfigKey key = schema.stream().filter(k -> k.path().equals(path)).findFirst()
          .orElseThrow(() -> new AssertionError(path + " is no longer a " + node + " key"));
      long longest = Math.max(((Number) key.defaultValue()).longValue(), resolved.integer(path));
      assertTrue(timeoutStopMillis >= longest,
          "TimeoutStopSec (" + timeoutStopMillis + " ms) covers " + path + " (" + longest + " ms)");
    }
    long ownBound = Long.parseLong(sourceConstant(node.equals("worker")
        ? "worker/src/main/java/io/chamberlain/worker/WorkerMain.java"
        : "gateway/src/main/java/io/chamberlain/gateway/GatewayMain.java",
        "names = \"--stop-timeout\", paramLabel = \"SECONDS\", defaultValue = \"(\\d+)\"")) * 1000;
    assertTrue(timeoutStopMillis >= ownBound,
        "TimeoutStopSec (" + timeoutStopMillis + " ms) lets the JVM reach its own bound on the graceful stop ("
            + ownBound + " ms, --stop-timeout) before systemd kills it");
    if (node.equals("worker")) {
      long announce = Long.parseLong(sourceConstant("worker/src/main/java/io/chamberlain/worker/WorkerNode.java",
          "ANNOUNCE_TIMEOUT_MILLIS = ([\\d_]+);").replace("_", ""));
      long drain = announce + resolved.integer("defender.handoffTimeoutMillis");
      assertTrue(timeoutStopMillis >= drain, "TimeoutStopSec covers announcing the restart and the handoff: " + drain + " ms");
      long restart = drain + seconds(unit.one("Service", "RestartSec")) * 1000;
      assertTrue(restart < resolved.integer("leader.restartGraceMillis"),
          "a drained stop and the restart delay (" + restart + " ms) leave the JVM time to start within "
              + "leader.restartGraceMillis");
    }

    Object grace = map(map(map(kubernetes(node), "spec"), "template"), "spec").get("terminationGracePeriodSeconds");
    assertNotNull(grace, KUBERNETES.get(node) + " sets terminationGracePeriodSeconds");
    assertEquals(((Number) grace).longValue() * 1000, timeoutStopMillis,
        "TimeoutStopSec = terminationGracePeriodSeconds of " + KUBERNETES.get(node));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "worker"})
  void runsAsItsOwnUserSandboxedAfterTheNetwork(String node) throws Exception {
    Unit unit = unit(node);
    assertEquals("chamberlain", unit.one("Service", "User"), "a user of its own, not root");
    assertEquals("yes", unit.one("Service", "NoNewPrivileges"));
    assertEquals("strict", unit.one("Service", "ProtectSystem"));
    assertEquals("yes", unit.one("Service", "PrivateTmp"), "the only place the node writes");
    assertFalse(unit.all("Service", "MemoryDenyWriteExecute").contains("yes"), "the JIT compiler writes code");
    assertTrue(Long.parseLong(unit.one("Service", "LimitNOFILE")) >= 65536);
    assertTrue(unit.all("Unit", "After").contains("network-online.target"));
    assertTrue(unit.all("Unit", "Wants").contains("network-online.target"));
    assertTrue(unit.all("Install", "WantedBy").contains("multi-user.target"));
    List<String> files = unit.all("Service", "EnvironmentFile");
    assertTrue(files.contains("-" + CONFIG_DIR + "/chamberlain.env"), "the shared environment file: " + files);
    for (String file : files) {
      assertTrue(file.startsWith("-" + CONFIG_DIR + "/"), "optional and in " + CONFIG_DIR + ": " + file);
    }
    Set<String> known = envNames(schema(node));
    for (String name : unit.environment().keySet()) {
      assertTrue(known.contains(name) || name.equals(PREBUILT), name + " is not a variable of the " + node);
    }
  }

  @Test
  void theWorkerInstanceIsTheDefenderId() throws Exception {
    Unit worker = unit("worker");
    assertEquals("%i", worker.environmentAsWritten().get("CHAMBERLAIN_DEFENDER_ID"),
        "chamberlain-worker@ID runs defender ID");
    Map<String, String> shared = envFile(SYSTEMD.resolve("chamberlain.env.example"), true);
    // As systemd sets them: Environment=, then the EnvironmentFiles over it.
    Map<String, String> env = new HashMap<>(worker.environment());
    env.putAll(shared);
    ResolvedConfig resolved = resolve("worker", env);
    assertEquals(INSTANCE, WorkerConfig.from(resolved).defenderId());
    assertFalse(IdPoolSettings.from(resolved).enabled(), "the id is the instance name, not claimed from defender.idPool");
    for (String name : envNames(ConfigSchema.WORKER.stream().filter(k -> k.path().equals("defender.id")).toList())) {
      assertFalse(shared.containsKey(name), name + " in the shared file would override every worker's instance name");
    }
    assertFalse(unit("gateway").environment().containsKey("CHAMBERLAIN_DEFENDER_ID"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "worker"})
  void theSharedEnvironmentFileIsAValidConfigOfEveryNode(String node) throws Exception {
    Path example = SYSTEMD.resolve("chamberlain.env.example");
    Map<String, String> required = envFile(example, false);
    Map<String, String> withOptional = envFile(example, true);
    for (String name : List.of("CHAMBERLAIN_NATS_URL", "CHAMBERLAIN_CLUSTER_NAME", "CHAMBERLAIN_CLUSTER_HOST",
        "CHAMBERLAIN_CLUSTER_MEMBERS")) {
      assertTrue(required.containsKey(name), "chamberlain.env.example sets " + name);
    }
    Set<String> known = envNames(schema(node));
    for (String name : withOptional.keySet()) {
      assertTrue(known.contains(name) || name.equals(JAVA_OPTS), name + " is not a config variable of the " + node);
    }
    for (Map<String, String> file : List.of(required, withOptional)) {
      Map<String, String> env = new HashMap<>(unit(node).environment());
      env.putAll(file);
      ResolvedConfig resolved = resolve(node, env);
      io.chamberlain.config.ClusterSettings cluster = node.equals("worker")
          ? WorkerConfig.from(resolved).cluster() : GatewayConfig.from(resolved).cluster();
      assertEquals(file.get("CHAMBERLAIN_CLUSTER_HOST"), cluster.host());
      assertFalse(isLocal(cluster.host()), "cluster.host is this VM's address, reachable by the others: " + cluster.host());
      assertTrue(cluster.members().size() >= 2, "a few stable members to join through: " + cluster.members());
      for (String member : cluster.members()) {
        assertFalse(isLocal(member.substring(0, member.lastIndexOf(':'))), "a member on another VM: " + member);
      }
      assertFalse(cluster.discoversByKubernetesDns(), "VMs join by the member list");
      assertTrue(resolved.source("cluster.members").contains("CHAMBERLAIN_CLUSTER_MEMBERS"));
      assertTrue(Files.isRegularFile(ROOT.resolve(resolved.string("chambers.file"))),
          "chambers.file resolves against WorkingDirectory: " + resolved.string("chambers.file"));
    }
  }

  @Test
  void theExamplesJvmOptionsAreAcceptedByTheJvm() throws Exception {
    String launcher = Files.readString(ROOT.resolve("bin/chamberlain"));
    assertTrue(launcher.contains("JAVA_OPTS=${JAVA_OPTS:-"), "bin/chamberlain takes JAVA_OPTS from the environment");
    String options = envFile(SYSTEMD.resolve("chamberlain.env.example"), true).get(JAVA_OPTS);
    Assumptions.assumeTrue(options != null, "chamberlain.env.example sets no JAVA_OPTS");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(List.of(options.trim().split("\\s+")));
    command.add("-version");
    Run run = run(command);
    assertEquals(0, run.exit(), "java " + options + " -version:\n" + run.output());
  }

  @Test
  void systemdAcceptsTheUnits() throws Exception {
    Assumptions.assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed: unit syntax not verified");
    // A control unit: if even that draws complaints, the tool cannot verify here (no systemd to load from).
    Path control = tmp.resolve("chamberlain-control.service");
    Files.writeString(control, "[Unit]\nDescription=control\n[Service]\nExecStart=/bin/true\n");
    Run controlRun = run(List.of("systemd-analyze", "verify", control.toString()));
    Assumptions.assumeTrue(controlRun.exit() == 0 && controlRun.output().isBlank(),
        "systemd-analyze verify does not work on this machine:\n" + controlRun.output());

    Files.copy(SYSTEMD.resolve("chamberlain-gateway.service"), tmp.resolve("chamberlain-gateway.service"));
    Files.copy(SYSTEMD.resolve("chamberlain-worker@.service"), tmp.resolve("chamberlain-worker@.service"));
    for (String unit : List.of("chamberlain-gateway.service", "chamberlain-worker@" + INSTANCE + ".service")) {
      Run run = run(List.of("systemd-analyze", "verify", tmp.resolve(unit).toString()));
      // Only what this machine lacks: the installation in /opt/chamberlain (and so its launcher).
      List<String> complaints = run.output().lines().filter(line -> !line.isBlank())
          .filter(line -> !line.contains("Command " + INSTALL + "/bin/chamberlain is not executable"))
          .toList();
      assertEquals(List.of(), complaints, "systemd-analyze verify " + unit + ":\n" + run.output());
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** A unit file: section → key → values in order (a key may repeat; an empty assignment resets it, as in systemd). */
  record Unit(String name, Map<String, Map<String, List<String>>> sections) {

    static Unit parse(Path file) throws Exception {
      Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
      Map<String, List<String>> section = null;
      StringBuilder continued = null;
      for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String line = raw.strip();
        if (continued != null) {
          if (line.startsWith("#") || line.startsWith(";")) {
            continue;
          }
          line = continued.append(' ').append(line).toString();
          continued = null;
        } else if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
          continue;
        }
        if (line.endsWith("\\")) {
          continued = new StringBuilder(line.substring(0, line.length() - 1).strip());
          continue;
        }
        if (line.startsWith("[")) {
          assertTrue(line.endsWith("]"), file.getFileName() + ": bad section header: " + raw);
          section = sections.computeIfAbsent(line.substring(1, line.length() - 1), s -> new LinkedHashMap<>());
          continue;
        }
        int equals = line.indexOf('=');
        assertTrue(equals > 0, file.getFileName() + ": not Key=Value: " + raw);
        assertNotNull(section, file.getFileName() + ": assignment outside a section: " + raw);
        String key = line.substring(0, equals).strip();
        String value = line.substring(equals + 1).strip();
        List<String> values = section.computeIfAbsent(key, k -> new ArrayList<>());
        if (value.isEmpty()) {
          values.clear();
        } else {
          values.add(value);
        }
      }
      return new Unit(file.getFileName().toString(), sections);
    }

    List<String> all(String section, String key) {
      return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    /** The single value of a key that must be set once. */
    String one(String section, String key) {
      List<String> values = all(section, key);
      assertEquals(1, values.size(), name + ": [" + section + "] " + key + " set once: " + values);
      return values.get(0);
    }

    /** {@code Environment=} assignments as written (specifiers like %i unexpanded). */
    Map<String, String> environmentAsWritten() {
      Map<String, String> env = new LinkedHashMap<>();
      for (String line : all("Service", "Environment")) {
        for (String word : words(line)) {
          int equals = word.indexOf('=');
          assertTrue(equals > 0, name + ": Environment= needs NAME=value: " + word);
          env.put(word.substring(0, equals), word.substring(equals + 1));
        }
      }
      return env;
    }

    /** {@code Environment=} assignments with the instance name the worker template is checked with. */
    Map<String, String> environment() {
      Map<String, String> env = new LinkedHashMap<>();
      environmentAsWritten().forEach((key, value) -> env.put(key, value.replace("%i", INSTANCE)));
      return env;
    }

    /** Words separated by white space; double or single quotes keep white space in one word. */
    private static List<String> words(String line) {
      List<String> words = new ArrayList<>();
      StringBuilder word = new StringBuilder();
      char quote = 0;
      for (char c : line.toCharArray()) {
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          } else {
            word.append(c);
          }
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (Character.isWhitespace(c)) {
          if (word.length() > 0) {
            words.add(word.toString());
            word.setLength(0);
          }
        } else {
          word.append(c);
        }
      }
      assertEquals(0, quote, "unbalanced quote in: " + line);
      if (word.length() > 0) {
        words.add(word.toString());
      }
      return words;
    }
  }

  private static Unit unit(String node) throws Exception {
    return Unit.parse(SYSTEMD.resolve(node.equals("worker") ? "chamberlain-worker@.service" : "chamberlain-gateway.service"));
  }

  /**
   * An EnvironmentFile: {@code NAME=value} lines, {@code #}/{@code ;} comments, optional quotes.
   * With {@code optional}, the commented-out assignments ({@code #NAME=value}) count too: the
   * example offers them, so they must be right as well.
   */
  static Map<String, String> envFile(Path file, boolean optional) throws Exception {
    Pattern assignment = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)=(.*)$");
    Map<String, String> env = new LinkedHashMap<>();
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String line = raw.strip();
      boolean commented = line.startsWith("#") || line.startsWith(";");
      if (commented) {
        line = line.substring(1);
        if (!optional || !assignment.matcher(line).matches()) {
          continue;
        }
      }
      if (line.isEmpty()) {
        continue;
      }
      Matcher matcher = assignment.matcher(line);
      assertTrue(matcher.matches(), file.getFileName() + ": not NAME=value (no 'export', no spaces around '='): " + raw);
      String value = matcher.group(2).strip();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
          || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      env.put(matcher.group(1), value);
    }
    return env;
  }

  /** The node's config as the unit starts it: its YAML file (installed as /etc/chamberlain/NODE.yaml), then env. */
  private static ResolvedConfig resolve(String node, Map<String, String> env) {
    return ConfigLoader.load(ROOT.resolve("config/" + node + ".yaml"), schema(node), env);
  }

  private static List<ConfigKey> schema(String node) {
    return node.equals("worker") ? ConfigSchema.WORKER : ConfigSchema.GATEWAY;
  }

  private static Set<String> envNames(List<ConfigKey> schema) {
    return schema.stream().flatMap(key -> key.envNames().stream()).collect(Collectors.toSet());
  }

  /** The launcher's commands: each label of its {@code case "$cmd" in} with the text of its branch. */
  static Map<String, String> launcherCommands(String launcher) {
    int start = launcher.indexOf("case \"$cmd\" in");
    assertTrue(start >= 0, "bin/chamberlain dispatches on case \"$cmd\" in");
    int end = launcher.indexOf("\nesac", start);
    String dispatch = launcher.substring(start, end < 0 ? launcher.length() : end);
    Matcher label = Pattern.compile("(?m)^\\s*([a-z][a-z|-]*)\\)").matcher(dispatch);
    List<String> labels = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    while (label.find()) {
      labels.add(label.group(1));
      starts.add(label.start());
    }
    Map<String, String> commands = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      String branch = dispatch.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : dispatch.length());
      for (String name : labels.get(i).split("\\|")) {
        commands.put(name, branch);
      }
    }
    return commands;
  }

  /** The first group of {@code regex} in a source file of the repository. */
  private static String sourceConstant(String file, String regex) throws Exception {
    Matcher matcher = Pattern.compile(regex).matcher(Files.readString(ROOT.resolve(file)));
    assertTrue(matcher.find(), file + " no longer has /" + regex + "/: update this test");
    return matcher.group(1);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(String node) throws Exception {
    List<Map<String, Object>> containers = (List<Map<String, Object>>) map(map(map(kubernetes(node), "spec"),
        "template"), "spec").get("containers");
    assertEquals(1, containers.size(), "exactly one container");
    return containers.get(0);
  }

  private static Map<String, Object> kubernetes(String node) throws Exception {
    return new Yaml().load(Files.readString(ROOT.resolve(KUBERNETES.get(node))));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertNotNull(value, "missing '" + key + "' in " + parent.keySet());
    return (Map<String, Object>) value;
  }

  /** A systemd time span in whole seconds: {@code 60}, {@code 60s}, {@code 1min 30s}, {@code 2h}, {@code 500ms}. */
  static long seconds(String span) {
    Matcher part = Pattern.compile("(\\d+)\\s*(msec|ms|seconds?|sec|s|minutes?|min|m|hours?|hr|h)?").matcher(span.strip());
    long millis = 0;
    int at = 0;
    while (at < span.strip().length()) {
      assertTrue(part.find(at) && part.start() == at, "not a time span: " + span);
      long n = Long.parseLong(part.group(1));
      String unit = part.group(2) == null ? "s" : part.group(2);
      millis += switch (unit) {
        case "ms", "msec" -> n;
        case "s", "sec", "second", "seconds" -> n * 1000;
        case "m", "min", "minute", "minutes" -> n * 60_000;
        default -> n * 3_600_000;
      };
      at = part.end();
      while (at < span.strip().length() && span.strip().charAt(at) == ' ') {
        at++;
      }
    }
    return millis / 1000;
  }

  private static boolean isLocal(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("0.0.0.0") || host.equals("::1");
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null && java.util.Arrays.stream(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }

  /** What a process printed and how it ended. */
  private record Run(int exit, String output) {
  }

  private Run run(List<String> command) throws Exception {
    Path output = Files.createTempFile(tmp, "run-", ".log");
    Process process = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    if (!process.waitFor(TestTimeouts.seconds(60).toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within 60 s (scaled)");
    }
    return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }
}
