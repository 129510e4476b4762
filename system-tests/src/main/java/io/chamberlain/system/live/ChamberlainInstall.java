package io.chamberlain.system.live;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the runnable pieces are: the project root (system property {@code chamberlain.root}, or the
 * nearest directory above the working directory that holds {@code bin/chamberlain}), the built fat
 * jars under it, and the {@code nats-server} binary (env {@code nats_server_path}, PATH, /usr/sbin).
 * Missing pieces fail with what to do about it.
 */
public record ChamberlainInstall(Path root, Path gatewayJar, Path workerJar, Path natsServer) {

  /** Upper bound of directories walked up from the working directory. */
  private static final int MAX_DEPTH = 8;

  public static ChamberlainInstall locate() {
    Path root = findRoot();
    Path gateway = root.resolve("gateway/target/chamberlain-gateway-all.jar");
    Path worker = root.resolve("worker/target/chamberlain-worker-all.jar");
    for (Path jar : new Path[] {gateway, worker}) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing; build it first: (cd " + root + " && mvn -q -B package -DskipTests)");
      }
    }
    return new ChamberlainInstall(root, gateway, worker, findNatsServer());
  }

  public Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** What {@code bin/chamberlain} runs nodes with: {@code JAVA_OPTS} if set, else {@code config/jvm.options}. */
  public List<String> jvmOptions() {
    String env = System.getenv("JAVA_OPTS");
    if (env != null && !env.isBlank()) {
      return List.of(env.trim().split("\\s+"));
    }
    try {
      return Files.readAllLines(root.resolve("config/jvm.options")).stream().map(String::trim)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .flatMap(line -> java.util.Arrays.stream(line.split("\\s+"))).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + root.resolve("config/jvm.options"), e);
    }
  }

  private static Path findRoot() {
    String property = System.getProperty("chamberlain.root");
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    for (int depth = 0; dir != null && depth < MAX_DEPTH; depth++, dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("bin/chamberlain"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no directory with bin/chamberlain above " + Path.of("").toAbsolutePath()
        + "; set -Dchamberlain.root=<project root>");
  }

  private static Path findNatsServer() {
    String configured = System.getenv("nats_server_path");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    String path = System.getenv().getOrDefault("PATH", "") + java.io.File.pathSeparator + "/usr/sbin";
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "nats-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("nats-server not found (env nats_server_path, PATH, /usr/sbin); "
        + "install it: bin/ensure-nats-server or apt-get install nats-server");
  }
}
