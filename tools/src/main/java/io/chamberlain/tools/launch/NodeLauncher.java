package io.chamberlain.tools.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a Chamberlain node process is started — the one way, for the demo supervisor and the live
 * harness alike: {@link #java} (this JVM's own, so the nodes run on the JDK the launcher chose),
 * {@link #jvmOptions}, {@code -jar} the node's runnable jar and its arguments; configured through
 * its environment only, logging to its own file and stopped by signals ({@link NodeProcess}); a
 * run's processes are ended together, newest first ({@link NodeGroup}). nats-server is started the
 * same way with {@link #natsServer}.
 *
 * @param java the {@code java} binary of every node
 * @param jvmOptions the options before {@code -jar}: the caller's ({@link #launcherJvmOptions}, or a
 *     test profile's lean ones) and, on Java 23+, the JEP 471 permission Hazelcast needs
 * @param jarOptions options of one jar, after {@code jvmOptions}: its {@link AotCache} (none by default)
 */
public record NodeLauncher(Path java, List<String> jvmOptions, Function<Path, List<String>> jarOptions) {

  /** No options of a jar's own: every jar starts with {@link #jvmOptions} alone. */
  public static final Function<Path, List<String>> NO_JAR_OPTIONS = jar -> List.of();

  /** The option that says Hazelcast's use of {@code sun.misc.Unsafe} is expected (JEP 471, Java 23+). */
  static final String UNSAFE_MEMORY_ACCESS = "--sun-misc-unsafe-memory-access=";

  public NodeLauncher {
    jvmOptions = List.copyOf(jvmOptions);
    jarOptions = Objects.requireNonNull(jarOptions, "jarOptions");
  }

  public NodeLauncher(Path java, List<String> jvmOptions) {
    this(java, jvmOptions, NO_JAR_OPTIONS);
  }

  /** This launcher, each jar also started with {@code jarOptions} of it (e.g. {@link AotCache#use}). */
  public NodeLauncher withJarOptions(Function<Path, List<String>> options) {
    return new NodeLauncher(java, jvmOptions, options);
  }

  /**
   * Nodes on this JVM's {@code java} with {@code jvmOptions}; on Java 23+ with
   * {@code --sun-misc-unsafe-memory-access=allow} added unless the options already say (as
   * {@code bin/chamberlain}'s {@code JAVA_OPTS} do).
   */
  public static NodeLauncher of(List<String> jvmOptions) {
    return of(Path.of(System.getProperty("java.home"), "bin", "java"), Runtime.version().feature(), jvmOptions);
  }

  static NodeLauncher of(Path java, int javaFeature, List<String> jvmOptions) {
    List<String> options = new ArrayList<>(jvmOptions);
    if (javaFeature >= 23 && options.stream().noneMatch(option -> option.startsWith(UNSAFE_MEMORY_ACCESS))) {
      options.add(UNSAFE_MEMORY_ACCESS + "allow");
    }
    return new NodeLauncher(java, options);
  }

  /**
   * What {@code bin/chamberlain} runs nodes with: {@code JAVA_OPTS} of {@code environment} if set, else
   * the options of {@code root/config/jvm.options} (none if there is no such file).
   */
  public static List<String> launcherJvmOptions(Map<String, String> environment, Path root) {
    String javaOpts = environment.get("JAVA_OPTS");
    if (javaOpts != null && !javaOpts.isBlank()) {
      return List.of(javaOpts.trim().split("\\s+"));
    }
    Path file = root.resolve("config/jvm.options");
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file).stream().map(String::trim)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .flatMap(line -> Arrays.stream(line.split("\\s+"))).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** {@code java [jvmOptions] [jarOptions of jar] -jar jar [args]}. */
  public List<String> command(Path jar, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmOptions);
    command.addAll(jarOptions.apply(jar));
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(args);
    return command;
  }

  /** Starts {@code jar} as the process {@code name}, logging to {@code logDir/name.log}. */
  public NodeProcess start(String name, Path jar, List<String> args, Map<String, String> environment,
                           NodeProcess.InheritedSettings inherited, Path logDir) {
    return NodeProcess.start(name, command(jar, args), environment, inherited, logDir);
  }

  /** {@code nats-server} with JetStream on 127.0.0.1:{@code port}, its store in {@code storeDir}. */
  public static List<String> natsServer(Path binary, int port, Path storeDir) {
    return List.of(binary.toString(), "-js", "-a", "127.0.0.1", "-p", Integer.toString(port), "-sd", storeDir.toString());
  }
}
