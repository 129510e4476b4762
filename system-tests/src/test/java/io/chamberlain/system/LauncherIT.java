package io.chamberlain.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.tools.launch.ChamberlainInstall;
import io.chamberlain.testkit.TestTimeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as users and the container image run it. The image cannot be built here (no
 * Docker engine), so its final stage is rebuilt from the Dockerfile itself: every {@code COPY} and
 * {@code ENV} after the last {@code FROM} is replayed into a temporary directory, and the
 * entrypoint must then answer each node's {@code --help} without trying to build (a fake
 * {@code mvn} first on the PATH records any call).
 */
class LauncherIT {

  private static final Path ROOT = ChamberlainInstall.locate().root();
  private static final Pattern COPY_FROM_BUILD = Pattern.compile("^COPY --from=build /src/(\\S+) (\\S+)$");
  private static final Pattern COPY = Pattern.compile("^COPY (\\S+) (\\S+)$");
  private static final Pattern ENV = Pattern.compile("^ENV (\\w+)=\"?([^\"]*)\"?$");

  @TempDir
  Path tmp;

  /** What a process printed and how it ended. */
  private record Run(int exit, String output) {
  }

  @Test
  void theImagesNodesStartFromItsPrebuiltJarsWithoutMaven() throws Exception {
    Path app = tmp.resolve("app");
    Map<String, String> env = replayFinalStage(app);
    assertEquals("1", env.get("CHAMBERLAIN_PREBUILT"), "the image must tell the launcher its jars are prebuilt");
    Path mvnCalled = tmp.resolve("mvn-called");
    Path fakeBin = fakeMaven(mvnCalled);
    env.put("PATH", fakeBin + ":" + System.getenv("PATH"));
    for (String node : List.of("gateway", "worker", "collector")) {
      Run run = run(app, env, "bin/chamberlain", node, "--help");
      assertEquals(0, run.exit(), node + " --help in the image failed:\n" + run.output());
      assertTrue(run.output().contains("Usage"), node + " --help printed no usage:\n" + run.output());
    }
    assertFalse(Files.exists(mvnCalled), "the launcher tried to build inside the image");
  }

  @Test
  void helpAndUnknownCommandsFromASourceCheckout() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    Run help = run(ROOT, env, "bin/chamberlain", "--help");
    assertEquals(0, help.exit(), help.output());
    for (String command : List.of("demo", "test", "gateway", "worker", "collector", "scenarios", "assign", "jmh")) {
      assertTrue(help.output().contains("  " + command), "--help lists " + command + ":\n" + help.output());
    }
    Run demoHelp = run(ROOT, env, "bin/chamberlain", "demo", "--help");
    assertEquals(0, demoHelp.exit(), demoHelp.output());
    assertTrue(demoHelp.output().contains("--workers"), demoHelp.output());
    Run unknown = run(ROOT, env, "bin/chamberlain", "frobnicate");
    assertEquals(2, unknown.exit(), unknown.output());
    assertTrue(unknown.output().contains("unknown command 'frobnicate'"), unknown.output());
  }

  /** Replays the COPY and ENV lines of the Dockerfile's last stage into {@code app}; returns the environment. */
  private static Map<String, String> replayFinalStage(Path app) throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
    int last = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("FROM ")) {
        last = i;
      }
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    List<String> copied = new ArrayList<>();
    for (String line : lines.subList(last + 1, lines.size())) {
      Matcher fromBuild = COPY_FROM_BUILD.matcher(line.trim());
      Matcher copy = COPY.matcher(line.trim());
      Matcher setEnv = ENV.matcher(line.trim());
      if (fromBuild.matches()) {
        Path target = app.resolve(fromBuild.group(2));
        Files.createDirectories(target);
        Path source = ROOT.resolve(fromBuild.group(1));
        Files.copy(source, target.resolve(source.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        copied.add(fromBuild.group(1));
      } else if (copy.matches()) {
        copyTree(ROOT.resolve(copy.group(1)), app.resolve(copy.group(2)));
        copied.add(copy.group(1));
      } else if (setEnv.matches()) {
        env.put(setEnv.group(1), setEnv.group(2));
      }
    }
    assertTrue(copied.contains("bin"), "the image has the launcher: " + copied);
    return env;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private Path fakeMaven(Path marker) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("fake-bin"));
    Path mvn = bin.resolve("mvn");
    Files.writeString(mvn, "#!/bin/sh\ntouch '" + marker + "'\nexit 99\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  /**
   * Without a Java 21+ anywhere the launcher looks (JAVA_HOME, the JVM folder, the PATH), it says
   * what to install instead of failing on a class version; with one beside the default, it uses it.
   */
  @Test
  void theLauncherFindsAJava21OrSaysWhatToInstall() throws Exception {
    Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(jdk17), "needs the machine's default JDK 17");
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 21, "runs on the JDK 21+ it needs");
    Path emptyJvmDir = Files.createDirectories(tmp.resolve("no-jvms"));
    Map<String, String> only17 = new HashMap<>(Map.of("PATH", jdk17.resolve("bin") + ":/usr/bin:/bin",
        "JAVA_HOME", jdk17.toString(), "CHAMBERLAIN_JVM_DIR", emptyJvmDir.toString()));
    Path java = Path.of("/usr/bin/java").toRealPath();
    org.junit.jupiter.api.Assumptions.assumeTrue(java.startsWith(jdk17) || java.toString().contains("17"),
        "the PATH's java is the old default here: " + java);
    Run refused = run(ROOT, only17, ROOT.resolve("bin/chamberlain").toString(), "gateway", "--help");
    assertEquals(3, refused.exit(), refused.output());
    assertTrue(refused.output().contains("needs Java 21 or newer") && refused.output().contains("JAVA_HOME"),
        refused.output());

    Map<String, String> beside = new HashMap<>(only17);
    beside.put("CHAMBERLAIN_JVM_DIR", Path.of(System.getProperty("java.home")).getParent().toString());
    Run found = run(ROOT, beside, ROOT.resolve("bin/chamberlain").toString(), "gateway", "--help");
    assertEquals(0, found.exit(), "a JDK 21+ in the JVM folder is used although JAVA_HOME is 17:\n" + found.output());
  }

  /** The containers' health check: {@code probe URL} answers 0 only for a 200, without starting a JVM. */
  @Test
  void probeSucceedsOnlyWhenTheEndpointAnswers200() throws Exception {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ready", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.createContext("/starting", exchange -> {
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
    });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      Map<String, String> env = Map.of("PATH", System.getenv("PATH"));
      Path launcher = ROOT.resolve("bin/chamberlain");
      assertEquals(0, run(ROOT, env, launcher.toString(), "probe", base + "/ready").exit());
      assertEquals(1, run(ROOT, env, launcher.toString(), "probe", base + "/starting").exit(), "503 is not healthy");
      server.stop(0);
      assertEquals(1, run(ROOT, env, launcher.toString(), "probe", base + "/ready").exit(), "nothing listening");
      Run bad = run(ROOT, env, launcher.toString(), "probe", "localhost:8080");
      assertEquals(2, bad.exit());
      assertTrue(bad.output().contains("expected http://HOST:PORT/PATH"), bad.output());
    } finally {
      server.stop(0);
    }
  }

  private Run run(Path dir, Map<String, String> env, String... command) throws Exception {
    Path output = Files.createTempFile(tmp, "run-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(TestTimeouts.seconds(120).toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within 120 s (scaled)");
    }
    return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }
}
