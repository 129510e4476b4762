package io.chamberlain.worker.runtime;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DefenseWorkTest {

  private final Vertx vertx = Vertx.vertx();
  private final DefenseWork work = new DefenseWork(2);

  @AfterEach
  void close() throws Exception {
    work.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void eventsWaitingOnTheNetworkAreNotBoundedByTheJudgingSlots() throws Exception {
    CountDownLatch allWaiting = new CountDownLatch(20);
    CountDownLatch release = new CountDownLatch(1);
    Context context = vertx.getOrCreateContext();
    List<Future<Integer>> done = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      done.add(work.submit(context, () -> {
        allWaiting.countDown();
        release.await(); // a round trip: parked, not holding a platform thread
        return n;
      }));
    }
    assertTrue(allWaiting.await(seconds(10).toMillis(), TimeUnit.MILLISECONDS), "20 waits at once with 2 judging slots");
    release.countDown();
    assertEquals(190, Future.all(done).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .<Integer>list().stream().mapToInt(Integer::intValue).sum());
  }

  @Test
  void atMostTheJudgingSlotsJudgeAtOnceAndResultsComeBackOnTheCallersContext() throws Exception {
    AtomicInteger judging = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    Context context = vertx.getOrCreateContext();
    List<Future<Context>> done = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      done.add(work.submit(context, () -> work.judging(() -> {
        mostAtOnce.accumulateAndGet(judging.incrementAndGet(), Math::max);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        while (System.nanoTime() < until) {
          Thread.onSpinWait(); // judging: CPU
        }
        judging.decrementAndGet();
        return null;
      })).map(ignored -> Vertx.currentContext()));
    }
    for (Future<Context> each : done) {
      assertSame(context, each.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    }
    assertEquals(2, mostAtOnce.get(), "never more than the slots, and both used");
  }

  @Test
  void aFailureComesBackAsAFailedFuture() throws Exception {
    Future<Object> failed = work.submit(vertx.getOrCreateContext(), () -> {
      throw new IllegalStateException("trace missing");
    });
    failed.toCompletionStage().toCompletableFuture().handle((value, failure) -> failure).get(10, TimeUnit.SECONDS);
    assertEquals("trace missing", failed.cause().getMessage());
  }
}
