package io.chamberlain.tools.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which cache a node jar is offered, and — on a JDK that has them — that a recorded cache is one the JVM maps. */
class AotCacheTest {

  @TempDir
  Path dir;

  @Test
  void aJarIsOfferedItsCacheOnlyOnceOneWasMadeAfterItWasBuilt() throws IOException {
    Path jar = Files.writeString(dir.resolve("chamberlain-worker-all.jar"), "a jar");
    AotCache caches = new AotCache(dir.resolve("aot"));
    assertEquals(dir.resolve("aot/chamberlain-worker-all.aot"), caches.of(jar));
    assertEquals(List.of("-XX:AOTCacheOutput=" + dir.resolve("aot/chamberlain-worker-all.recording.aot")),
        caches.record(jar));
    assertEquals(List.of(), caches.use(jar), "no cache yet");

    Files.createDirectories(caches.directory());
    assertFalse(caches.install(jar), "nothing was recorded");
    Files.writeString(caches.recording(jar), "a cache");
    assertTrue(caches.install(jar));
    assertFalse(Files.exists(caches.recording(jar)), "moved, not copied");
    assertEquals(List.of("-XX:AOTCache=" + caches.of(jar)), caches.use(jar));

    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
    assertEquals(List.of(), caches.use(jar), "the jar was rebuilt after its cache was made");
  }

  @Test
  void onlyJava25AndLaterRecordACacheInOneRun() {
    assertFalse(AotCache.supported(21));
    assertFalse(AotCache.supported(24));
    assertTrue(AotCache.supported(25));
  }

  @Test
  void aJvmThatRecordedAndExitedLeavesACacheTheNextStartMaps() throws Exception {
    assumeTrue(AotCache.supported(Runtime.version().feature()), "needs Java " + AotCache.FIRST_JAVA + "+");
    Path jar = probeJar();
    AotCache caches = new AotCache(Files.createDirectories(dir.resolve("aot")));
    NodeLauncher launcher = NodeLauncher.of(List.of("-Xmx64m", "-XX:+UseSerialGC"));

    assertEquals(0, run(launcher.withJarOptions(caches::record).command(jar, List.of())), "the recording run");
    assertTrue(caches.install(jar), "the recording run wrote a cache");
    // AOTMode=on: a JVM that cannot map the cache fails at start instead of running without it
    NodeLauncher strict = new NodeLauncher(launcher.java(), append(launcher.jvmOptions(), "-XX:AOTMode=on"))
        .withJarOptions(caches::use);
    assertEquals(0, run(strict.command(jar, List.of())), "a start that must map the cache");
  }

  private int run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("run-" + System.nanoTime() + ".log").toFile()).start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "did not exit: " + command);
    return process.exitValue();
  }

  /** A runnable jar of one class that loads a few more (as a node's start-up does) and exits. */
  private Path probeJar() throws IOException {
    Path source = Files.writeString(dir.resolve("Probe.java"),
        "public class Probe { public static void main(String[] a) {"
            + " System.out.println(new java.util.TreeMap<>(java.util.Map.of(\"a\", 1)) + \" \" + java.time.Instant.now()); } }");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString()));
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Probe");
    Path jar = dir.resolve("probe.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.putNextEntry(new JarEntry("Probe.class"));
      out.write(Files.readAllBytes(classes.resolve("Probe.class")));
      out.closeEntry();
    }
    return jar;
  }

  private static List<String> append(List<String> options, String option) {
    List<String> all = new ArrayList<>(options);
    all.add(option);
    return all;
  }
}
