package io.chamberlain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigResolverTest {

  @Test
  void envNamesDeriveFromThePath() {
    assertEquals("CHAMBERLAIN_NATS_URL", key("nats.url").envName());
    assertEquals("CHAMBERLAIN_INGEST_NAK_DELAY_MILLIS", key("ingest.nakDelayMillis").envName());
    assertEquals(List.of("CHAMBERLAIN_DEFENDER_ID", "DEFENDER_ID"), workerKey("defender.id").envNames());
  }

  @Test
  void fileOverridesDefaultsAndEnvOverridesFile() {
    ResolvedConfig config = ConfigResolver.resolve(ConfigSchema.GATEWAY,
        Map.of("http", Map.of("port", 9000), "nats", Map.of("url", "nats://file:4222")), "gw.yaml",
        Map.of("CHAMBERLAIN_NATS_URL", "nats://env:4222", "CHAMBERLAIN_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701"));
    assertEquals(9000, config.integer("http.port"));
    assertEquals("gw.yaml", config.source("http.port"));
    assertEquals("nats://env:4222", config.string("nats.url"));
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), config.strings("cluster.members"));
    assertEquals("default", config.source("cluster.name"));
    GatewayConfig typed = GatewayConfig.from(config);
    assertEquals(Duration.ofSeconds(10), typed.ingest().ackWait(), "the default");
  }

  @Test
  void natsReplicasDefaultToOneAndOutOfRangeCountsAreRefusedNamingTheKey() {
    assertEquals(1, GatewayConfig.from(ConfigResolver.resolve(ConfigSchema.GATEWAY, Map.of(), "-", Map.of())).natsReplicas());
    assertEquals(3, WorkerConfig.from(ConfigResolver.resolve(ConfigSchema.WORKER, Map.of(), "-",
        Map.of("CHAMBERLAIN_NATS_REPLICAS", "3", "DEFENDER_ID", "d-1"))).natsReplicas());
    for (String bad : List.of("0", "6")) {
      ConfigException refused = assertThrows(ConfigException.class, () -> GatewayConfig.from(ConfigResolver.resolve(
          ConfigSchema.GATEWAY, Map.of(), "-", Map.of("CHAMBERLAIN_NATS_REPLICAS", bad))));
      assertEquals("nats.replicas must be between 1 and 5 (3 on a 3-server NATS cluster, 1 on a single server), was " + bad,
          refused.getMessage());
      assertThrows(ConfigException.class, () -> WorkerConfig.from(ConfigResolver.resolve(
          ConfigSchema.WORKER, Map.of(), "-", Map.of("CHAMBERLAIN_NATS_REPLICAS", bad, "DEFENDER_ID", "d-1"))));
    }
  }

  @Test
  void defenderIdAliasIsAcceptedButThePrefixedNameWins() {
    assertEquals("pod-7", WorkerConfig.from(ConfigResolver.resolve(ConfigSchema.WORKER, Map.of(), "-",
        Map.of("DEFENDER_ID", "pod-7"))).defenderId());
    assertEquals("a", WorkerConfig.from(ConfigResolver.resolve(ConfigSchema.WORKER, Map.of(), "-",
        Map.of("DEFENDER_ID", "b", "CHAMBERLAIN_DEFENDER_ID", "a"))).defenderId());
  }

  @Test
  void badValuesNameTheKeyTheOriginAndTheReason() {
    assertEquals("http.port from environment variable CHAMBERLAIN_HTTP_PORT must be an integer, was 'eighty'",
        assertThrows(ConfigException.class, () -> ConfigResolver.resolve(ConfigSchema.GATEWAY, Map.of(), "-",
            Map.of("CHAMBERLAIN_HTTP_PORT", "eighty"))).getMessage());
    assertEquals("gw.yaml: unknown key 'sla.milis' (known keys: [sla.millis])",
        assertThrows(ConfigException.class, () -> ConfigResolver.resolve(ConfigSchema.GATEWAY,
            Map.of("sla", Map.of("milis", "x")), "gw.yaml", Map.of())).getMessage());
    assertEquals("http.port must be a port between 1 and 65535, was 70000",
        assertThrows(ConfigException.class, () -> GatewayConfig.from(ConfigResolver.resolve(ConfigSchema.GATEWAY,
            Map.of("http", Map.of("port", 70000)), "gw.yaml", Map.of()))).getMessage());
    assertEquals("defender.id 'a.b' contains characters other than letters, digits, '_' and '-' (dots, spaces "
            + "and the NATS wildcards '*' and '>' are not allowed)",
        assertThrows(ConfigException.class, () -> WorkerConfig.from(ConfigResolver.resolve(ConfigSchema.WORKER,
            Map.of(), "-", Map.of("DEFENDER_ID", "a.b")))).getMessage());
    assertEquals("cluster.members entry 'hostonly' must be host:port",
        assertThrows(ConfigException.class, () -> GatewayConfig.from(ConfigResolver.resolve(ConfigSchema.GATEWAY,
            Map.of(), "-", Map.of("CHAMBERLAIN_CLUSTER_MEMBERS", "hostonly")))).getMessage());
  }

  @Test
  void rangeErrorsNameTheKeyAndWhereTheValueCameFrom() {
    assertEquals("leader.epsilon must be in (0, 1), was 2.0 (value from environment variable CHAMBERLAIN_LEADER_EPSILON)",
        assertThrows(ConfigException.class, () -> ConfigResolver.resolve(ConfigSchema.GATEWAY, Map.of(), "-",
            Map.of("CHAMBERLAIN_LEADER_EPSILON", "2")).build(GatewayConfig::from)).getMessage());
    assertEquals("leader.autoscale.targetUtilisation must be in (0, 1], was 1.5 (value from environment variable"
            + " CHAMBERLAIN_LEADER_AUTOSCALE_TARGET_UTILISATION)",
        assertThrows(ConfigException.class, () -> ConfigResolver.resolve(ConfigSchema.WORKER, Map.of(), "-",
            Map.of("CHAMBERLAIN_LEADER_AUTOSCALE_TARGET_UTILISATION", "1.5")).build(WorkerConfig::from)).getMessage());
    assertEquals("leader.autoscale.minDefenders must be ≥ 0, was -1 (value from gw.yaml)",
        assertThrows(ConfigException.class, () -> ConfigResolver.resolve(ConfigSchema.GATEWAY,
            Map.of("leader", Map.of("autoscale", Map.of("minDefenders", -1))), "gw.yaml", Map.of())
            .build(GatewayConfig::from)).getMessage());
    assertEquals("leader.missedHeartbeats must be > 0, was 0 (value from gw.yaml)",
        assertThrows(ConfigException.class, () -> ConfigResolver.resolve(ConfigSchema.WORKER,
            Map.of("leader", Map.of("missedHeartbeats", 0)), "gw.yaml", Map.of()).build(WorkerConfig::from)).getMessage());
    assertEquals("leader.scaling.quietMillis (9000) must not exceed leader.scaling.maxWindowMillis (2000)"
            + " (value from environment variable CHAMBERLAIN_LEADER_SCALING_QUIET_MILLIS)",
        assertThrows(ConfigException.class, () -> ConfigResolver.resolve(ConfigSchema.GATEWAY, Map.of(), "-",
            Map.of("CHAMBERLAIN_LEADER_SCALING_QUIET_MILLIS", "9000")).build(GatewayConfig::from)).getMessage());
    assertEquals("defender.capacity must be > 0, was 0.0 (value from environment variable CHAMBERLAIN_DEFENDER_CAPACITY)",
        assertThrows(ConfigException.class, () -> ConfigResolver.resolve(ConfigSchema.WORKER, Map.of(), "-",
            Map.of("CHAMBERLAIN_DEFENDER_CAPACITY", "0")).build(WorkerConfig::from)).getMessage());
  }

  @Test
  void theEventSizeLimitIsDefaultedAndBounded() {
    assertEquals(64 * 1024, ConfigResolver.resolve(ConfigSchema.GATEWAY, Map.of(), "-", Map.of())
        .build(GatewayConfig::from).ingest().maxEventBytes());
    assertEquals(1_048_576, ConfigResolver.resolve(ConfigSchema.GATEWAY, Map.of(), "-",
        Map.of("CHAMBERLAIN_INGEST_MAX_EVENT_BYTES", "1048576")).build(GatewayConfig::from).ingest().maxEventBytes());
    assertEquals("ingest.maxEventBytes must be ≥ 1024, was 100 (value from gw.yaml)",
        assertThrows(ConfigException.class, () -> ConfigResolver.resolve(ConfigSchema.GATEWAY,
            Map.of("ingest", Map.of("maxEventBytes", 100)), "gw.yaml", Map.of()).build(GatewayConfig::from)).getMessage());
    assertEquals("ingest.maxEventBytes must be ≤ 8388608, was 8388609 (value from environment variable"
            + " CHAMBERLAIN_INGEST_MAX_EVENT_BYTES)",
        assertThrows(ConfigException.class, () -> ConfigResolver.resolve(ConfigSchema.GATEWAY, Map.of(), "-",
            Map.of("CHAMBERLAIN_INGEST_MAX_EVENT_BYTES", "8388609")).build(GatewayConfig::from)).getMessage());
  }

  private static ConfigKey key(String path) {
    return ConfigSchema.GATEWAY.stream().filter(k -> k.path().equals(path)).findFirst().orElseThrow();
  }

  private static ConfigKey workerKey(String path) {
    return ConfigSchema.WORKER.stream().filter(k -> k.path().equals(path)).findFirst().orElseThrow();
  }
}
