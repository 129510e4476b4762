package io.chamberlain.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.config.ConfigLoader;
import io.chamberlain.config.ConfigSchema;
import io.chamberlain.config.WorkerConfig;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.wire.Heartbeat;
import io.chamberlain.worker.runtime.ChamberCache;
import io.chamberlain.worker.runtime.CostMeter;
import io.chamberlain.worker.runtime.WorkerMetrics;
import io.chamberlain.worker.runtime.DefenderServices;
import io.chamberlain.worker.runtime.DefenseWork;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a defender's heartbeat tells the leader about cost: the measured milliseconds per context
 * (the cost meter's moving average) of exactly the chambers deployed on it, plus the cache counts —
 * and that all of it survives the trip over the event bus as JSON.
 */
class HeartbeatCostsTest {

  private static final ChamberKey SERVED = ChamberKey.parse("tool001:1");
  private static final ChamberKey SERVED_NOT_MEASURED = ChamberKey.parse("tool001:2");
  private static final ChamberKey LEFT = ChamberKey.parse("tool002:1");

  private final CostMeter costs = new CostMeter();
  private final ChamberCache cache = new ChamberCache();
  private final DefenderServices services = new DefenderServices("defender-7", null, null, null, null, Map.of(), cache,
      costs, () -> true, WorkerMetrics.unregistered(cache), new DefenseWork(1));
  private final WorkerConfig config = ConfigLoader.load(null, ConfigSchema.WORKER,
      Map.of("CHAMBERLAIN_DEFENDER_ID", "defender-7", "CHAMBERLAIN_DEFENDER_VERSION", "2.1.0")).build(WorkerConfig::from);

  private static long millis(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void carriesTheMovingAverageOfEachDeployedChamberOnly() {
    costs.record(SERVED, millis(40));
    costs.record(SERVED, millis(90));
    costs.record(LEFT, millis(500)); // measured here before the chamber moved away
    Set<ChamberKey> deployed = new TreeSet<>(Set.of(SERVED, SERVED_NOT_MEASURED));

    Heartbeat heartbeat = DefenderVerticle.heartbeat(config, "node-1", deployed, true, 42, services, 1_700_000_000_000L);

    assertEquals(Map.of("tool001:1", 40 + 0.2 * (90 - 40)), heartbeat.costs(),
        "the served chamber's EWMA in ms; nothing for one not measured yet, nor for one that left");
    assertEquals(2, heartbeat.chambers());
    assertEquals(42, heartbeat.heldEpoch());
    assertEquals("defender-7", heartbeat.defenderId());
    assertEquals("2.1.0", heartbeat.version());
  }

  @Test
  void betweenCostReportsCarriesTheChamberCountButNoCosts() {
    costs.record(SERVED, millis(40));
    Heartbeat light = DefenderVerticle.heartbeat(config, "node-1", Set.of(SERVED), false, 42, services, 1L);
    assertEquals(Map.of(), light.costs());
    assertEquals(1, light.chambers());
  }

  @Test
  void carriesTheCacheCountsAndSurvivesTheWireFormat() {
    costs.record(SERVED, millis(7));
    cache.reuse(SERVED, 3); // a miss: nothing cached
    Heartbeat sent = DefenderVerticle.heartbeat(config, "node-1", Set.of(SERVED), true, 1, services, 1_700_000_000_000L);

    Heartbeat received = Heartbeat.fromJson(sent.toJson());

    assertEquals(sent, received);
    assertEquals(Map.of("tool001:1", 7.0), received.costs());
    assertEquals(0, received.cacheHits());
    assertEquals(1, received.cacheMisses());
  }
}
