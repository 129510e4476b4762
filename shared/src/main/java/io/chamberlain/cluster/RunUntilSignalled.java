package io.chamberlain.cluster;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a started node running until SIGTERM/SIGINT, then runs its graceful stop (bounded) before
 * the JVM exits. Embedded Vert.x registers no shutdown hook and vertx-hazelcast disables
 * Hazelcast's, so without this a SIGTERM would be a crash.
 */
public final class RunUntilSignalled {

  private RunUntilSignalled() {
  }

  /** Blocks the calling (main) thread until the stop, started by the shutdown hook, has finished. */
  public static void await(String nodeName, Supplier<CompletionStage<Void>> gracefulStop, int stopTimeoutSeconds)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        gracefulStop.get().toCompletableFuture().get(stopTimeoutSeconds, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println(nodeName + ": graceful stop did not finish within " + stopTimeoutSeconds + " s: " + e);
      } finally {
        stopped.countDown();
      }
    }, "chamberlain-" + nodeName + "-stop"));
    stopped.await();
  }
}
