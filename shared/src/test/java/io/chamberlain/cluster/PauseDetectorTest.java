package io.chamberlain.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PauseDetectorTest {

  private static final Duration THRESHOLD = Duration.ofSeconds(4);
  private static final Duration TICK = Duration.ofMillis(250);

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final List<Long> pauses = new ArrayList<>();
  private final PauseDetector detector = new PauseDetector(THRESHOLD, TICK, clock::get, pauses::add);

  @Test
  void wakingOnTimeOrALittleLateIsNoPause() {
    for (int tick = 0; tick < 100; tick++) {
      clock.addAndGet(TICK.toNanos() + Duration.ofMillis(tick % 7 * 300).toNanos()); // up to 1.8 s of jitter
      assertFalse(detector.check());
    }
    assertTrue(pauses.isEmpty());
  }

  @Test
  void aPauseLongerThanTheThresholdIsReportedWithItsLength() {
    clock.addAndGet(TICK.toNanos());
    assertFalse(detector.check());
    clock.addAndGet(TICK.toNanos() + Duration.ofSeconds(10).toNanos()); // SIGSTOP for 10 s
    assertTrue(detector.check());
    assertEquals(List.of(Duration.ofSeconds(10).toNanos()), pauses);
  }

  @Test
  void lateWakeUpsDoNotAddUp() {
    for (int tick = 0; tick < 10; tick++) { // ten stalls of 3 s each: each one alone is below the threshold
      clock.addAndGet(TICK.toNanos() + Duration.ofSeconds(3).toNanos());
      assertFalse(detector.check());
    }
  }

  @Test
  void theThresholdIsTheMemberTimeoutLessOneHeartbeatInterval() {
    Config shipped = new Config()
        .setProperty("hazelcast.max.no.heartbeat.seconds", "5")
        .setProperty("hazelcast.heartbeat.interval.seconds", "1");
    assertEquals(Duration.ofSeconds(4), PauseDetector.threshold(shipped));
    assertEquals(Duration.ofSeconds(55), PauseDetector.threshold(new Config()), "Hazelcast's defaults: 60 s and 5 s");
  }

  @Test
  void theShippedClusterFileGivesFourSeconds() {
    assertEquals(Duration.ofSeconds(4), PauseDetector.threshold(io.vertx.spi.cluster.hazelcast.ConfigUtil.loadConfig()));
  }
}
