package io.chamberlain.tools.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the runnable pieces are: the project root (system property {@code chamberlain.root}, or the
 * nearest directory above the working directory that holds {@code bin/chamberlain}), the built fat
 * jars under it, and the {@code nats-server} binary (env {@code nats_server_path}, PATH, /usr/sbin).
 * Missing pieces fail with what to do about it. How a node is then started is {@link NodeLauncher}'s.
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

  /** What {@code bin/chamberlain} runs nodes with: {@code JAVA_OPTS} if set, else {@code config/jvm.options}. */
  public List<String> jvmOptions() {
    return NodeLauncher.launcherJvmOptions(System.getenv(), root);
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
    try {
      return findNatsServer("nats-server");
    } catch (IllegalStateException notFound) {
      throw new IllegalStateException(notFound.getMessage() + ", or set env nats_server_path", notFound);
    }
  }

  /**
   * {@code nameOrPath} itself if it is a path (has a directory part), else the first executable of that
   * name on the PATH or in /usr/sbin (where Debian's package puts it).
   */
  public static Path findNatsServer(String nameOrPath) {
    if (nameOrPath.contains(java.io.File.separator)) {
      return Path.of(nameOrPath);
    }
    String path = System.getenv().getOrDefault("PATH", "") + java.io.File.pathSeparator + "/usr/sbin";
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, nameOrPath);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(nameOrPath + " not found on the PATH or in /usr/sbin; "
        + "install it: bin/ensure-nats-server or apt-get install nats-server");
  }
}
