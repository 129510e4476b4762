package io.chamberlain.system.live;

import io.chamberlain.testkit.TestTimeouts;
import io.chamberlain.tools.launch.AotCache;
import io.chamberlain.tools.launch.ChamberlainInstall;
import io.chamberlain.tools.launch.NodeLauncher;
import io.chamberlain.tools.launch.NodeProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The AOT caches the test profile's nodes start from ({@link AotCache}, JDK 25+). A test suite starts
 * about 80 gateway and worker JVMs, and on two shared cores their start-up is most of a live test's
 * fixed cost. The first test cluster of a JVM whose jars have no fitting cache records them: one
 * gateway and one worker start, settle on a few chambers and stop gracefully, and their JVMs write the
 * caches as they exit — once per build, 17–25 s.
 *
 * <p>A cache is an optimisation, not a precondition: if recording fails, the tests run without caches
 * and the reason is logged. The benchmark profile never uses them: its numbers are of nodes started
 * as a user starts them.
 */
final class NodeAotCaches {

  private static final System.Logger LOG = System.getLogger(NodeAotCaches.class.getName());
  private static final String DEFENDER = "defender-1";
  /** A recording node exits only once it has written its cache (~70 MB): allow for that. */
  private static final long EXIT_WITH_CACHE_SECONDS = 60;

  /** The test nodes' per-jar options, once decided (and recorded if need be) in this JVM. */
  private static Function<Path, List<String>> jarOptions;

  private NodeAotCaches() {
  }

  /** The per-jar JVM options of test nodes: each jar's cache, recorded first if it has none. */
  static synchronized Function<Path, List<String>> use(ChamberlainInstall install) {
    if (jarOptions == null) {
      jarOptions = prepare(install);
    }
    return jarOptions;
  }

  private static Function<Path, List<String>> prepare(ChamberlainInstall install) {
    if (!AotCache.supported(Runtime.version().feature())) {
      return NodeLauncher.NO_JAR_OPTIONS;
    }
    AotCache caches = new AotCache(install.root().resolve("system-tests/target/aot"));
    List<Path> jars = List.of(install.gatewayJar(), install.workerJar());
    if (!jars.stream().allMatch(caches::fits)) {
      try {
        record(install, caches, jars);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "live: no AOT caches recorded, test nodes start without: " + e, e);
      }
    }
    return caches::use;
  }

  private static void record(ChamberlainInstall install, AotCache caches, List<Path> jars) {
    long startedAt = System.nanoTime();
    try {
      Files.createDirectories(caches.directory());
      for (Path jar : jars) {
        Files.deleteIfExists(caches.recording(jar)); // left by a recording run that never exited
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + caches.directory(), e);
    }
    ClusterOptions options = ClusterOptions.of(Profile.TEST).withWorkerSlots(1);
    try (ProcessCluster cluster = ProcessCluster.recordingAotCaches(options, install, caches)) {
      cluster.startNats();
      cluster.startGateway(ChamberCatalogFile.chambers(Profile.TEST.chambers()));
      cluster.startWorker(DEFENDER);
      cluster.awaitSettled(Set.of(DEFENDER), TestTimeouts.seconds(120));
      List<NodeProcess> nodes = List.of(cluster.worker(DEFENDER), cluster.gateway());
      nodes.forEach(NodeProcess::terminate);
      for (NodeProcess node : nodes) {
        node.awaitExit(TestTimeouts.seconds(EXIT_WITH_CACHE_SECONDS));
      }
    }
    List<Path> missing = jars.stream().filter(jar -> !caches.install(jar)).toList();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    if (!missing.isEmpty()) {
      throw new IllegalStateException("the recording run wrote no cache of " + missing + " (" + tookMs + " ms)");
    }
    LOG.log(System.Logger.Level.INFO, "live: AOT caches of " + jars.stream().map(Path::getFileName).toList()
        + " recorded in " + tookMs + " ms, in " + caches.directory());
  }
}
