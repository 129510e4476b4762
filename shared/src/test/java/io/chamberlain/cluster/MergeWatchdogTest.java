package io.chamberlain.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.chamberlain.testkit.TestTimeouts;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MergeWatchdogTest {

  private static final Duration BOUND = Duration.ofMillis(200);

  @Test
  void aMergeThatDoesNotEndWithinTheBoundGivesUp() throws InterruptedException {
    CountDownLatch stuck = new CountDownLatch(1);
    MergeWatchdog watchdog = new MergeWatchdog(BOUND, stuck::countDown);
    watchdog.observe(LifecycleState.MERGING);
    assertTrue(watchdog.merging());
    assertTrue(stuck.await(TestTimeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS), "the stuck merge was given up");
    watchdog.close();
  }

  @Test
  void aMergeThatEndsOrFailsInTimeIsLeftAlone() throws InterruptedException {
    for (LifecycleState end : new LifecycleState[] {LifecycleState.MERGED, LifecycleState.MERGE_FAILED}) {
      CountDownLatch stuck = new CountDownLatch(1);
      MergeWatchdog watchdog = new MergeWatchdog(BOUND, stuck::countDown);
      watchdog.observe(LifecycleState.MERGING);
      watchdog.observe(end);
      assertFalse(watchdog.merging());
      assertFalse(stuck.await(BOUND.toMillis() * 3, TimeUnit.MILLISECONDS), "a merge that ended (" + end + ") is not given up");
      watchdog.close();
    }
  }

  @Test
  void theThreadDumpNamesEveryThreadWithItsStack() {
    String dump = MergeWatchdog.threadDump();
    assertTrue(dump.contains("\"" + Thread.currentThread().getName() + "\" RUNNABLE"), dump);
    assertTrue(dump.contains("io.chamberlain.cluster.MergeWatchdog.threadDump(MergeWatchdog.java"), dump);
  }
}
