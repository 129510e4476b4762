package io.chamberlain.tools.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The ahead-of-time caches of node jars in one directory (JDK 25+: JEP 483's AOT cache, recorded in
 * one step as JEP 514 allows): the classes a node loaded and linked while it started, stored once by a
 * recording run and mapped by every later start of the same jar instead of being loaded, verified and
 * linked again. Measured on a 2-core machine, JDK 25, lean test JVMs, idle: a gateway answered /health
 * after 2.2 s instead of 3.5, a worker was up after 1.2 s instead of 2.6.
 *
 * <p>A cache fits one build of a jar and one JDK. The JVM checks both itself and starts without a
 * cache that does not fit (printing why): a stale cache costs start-up time, never behaviour.
 * {@link #use} offers only a cache not older than its jar. A recording JVM writes its cache when it
 * exits normally (SIGTERM, not SIGKILL), and to {@link #recording} — {@link #install} moves it into
 * place once the recording run ended, so no node ever maps a half-written file.
 *
 * @param directory where the caches are, one per jar: {@code <jar name>.aot}
 */
public record AotCache(Path directory) {

  /** The first Java whose {@code -XX:AOTCacheOutput} records a cache in one run (JEP 514). */
  public static final int FIRST_JAVA = 25;

  public static boolean supported(int javaFeature) {
    return javaFeature >= FIRST_JAVA;
  }

  /** Where the cache of {@code jar} is. */
  public Path of(Path jar) {
    return directory.resolve(baseName(jar) + ".aot");
  }

  /** Where a recording run of {@code jar} writes its cache. */
  public Path recording(Path jar) {
    return directory.resolve(baseName(jar) + ".recording.aot");
  }

  /** Whether {@code jar} has a cache made after it was built. */
  public boolean fits(Path jar) {
    Path cache = of(jar);
    try {
      return Files.isRegularFile(cache) && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) >= 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** The JVM options that start {@code jar} from its cache: none if it has no cache that {@linkplain #fits fits}. */
  public List<String> use(Path jar) {
    return fits(jar) ? List.of("-XX:AOTCache=" + of(jar)) : List.of();
  }

  /** The JVM options of a run that records the cache of {@code jar} when it exits. */
  public List<String> record(Path jar) {
    return List.of("-XX:AOTCacheOutput=" + recording(jar));
  }

  /**
   * Moves what a recording run of {@code jar} wrote into place; call it once that run has exited.
   * Returns whether {@code jar} now has a cache that fits.
   */
  public boolean install(Path jar) {
    Path recorded = recording(jar);
    if (!Files.isRegularFile(recorded)) {
      return false;
    }
    try {
      Files.move(recorded, of(jar), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + recorded + " to " + of(jar), e);
    }
    return fits(jar);
  }

  private static String baseName(Path jar) {
    return jar.getFileName().toString().replaceFirst("\\.jar$", "");
  }
}
