package io.chamberlain.config;

import static org.junit.jupiter.api.Assertions.fail;

import io.chamberlain.testkit.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every key of every node, set to a seeded wrong value — of the wrong type, out of range, or empty —
 * in the YAML file or the environment: loading must refuse with a {@link ConfigException} whose
 * message names the key, never accept it or fail with another exception (a stack trace at start).
 */
class ConfigFuzzTest {

  /** STRING and STRING_LIST keys whose empty value is documented (off, none, all built-in). */
  private static final Set<String> EMPTY_MEANS_OFF = Set.of("cluster.kubernetesServiceDns", "chambers.file",
      "defense.processesFile", "http.adminToken", "defender.idPool.prefix", "http.readToken",
      "http.tls.certFile", "http.tls.keyFile", "http.cors.allowedOrigins", "cluster.tls.caFile", "cluster.tls.certFile",
      "cluster.tls.keyFile", "nats.user", "nats.password", "nats.passwordFile", "nats.token", "nats.tokenFile",
      "nats.credsFile", "nats.nkeyFile", "nats.tls.caFile", "nats.tls.certFile", "nats.tls.keyFile");
  /** INT keys where 0 is documented (off, any free port). */
  private static final Set<String> ZERO_MEANS_OFF = Set.of("defender.idPool.size", "leader.autoscale.drainBeforeScaleInMillis",
      "leader.autoscale.minDefenders", "ingest.maxClockSkewMillis", "http.port@worker", "http.operations.ratePerMinute");

  @Test
  void everyKeySetWrongIsRefusedNamingTheKey() {
    long seed = Seeds.base("ConfigFuzzTest", 20_260_413L);
    Random random = new Random(seed);
    Map<String, List<ConfigKey>> nodes = Map.of("gateway", ConfigSchema.GATEWAY, "worker", ConfigSchema.WORKER);
    Map<String, Function<ResolvedConfig, ?>> typed = Map.of("gateway", GatewayConfig::from, "worker",
        c -> List.of(WorkerConfig.from(c), IdPoolSettings.from(c)));
    int tried = 0;
    List<String> problems = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      for (var node : nodes.entrySet()) {
        for (ConfigKey key : node.getValue()) {
          for (Object bad : badValues(key, node.getKey(), random)) {
            boolean viaEnv = bad instanceof String && random.nextBoolean();
            Map<String, Object> file = viaEnv ? Map.of() : nest(key.path(), bad);
            Map<String, String> env = viaEnv ? Map.of(key.envName(), (String) bad) : Map.of();
            String where = node.getKey() + " " + key.path() + " = " + describe(bad) + (viaEnv ? " (env)" : " (file)")
                + ", seed " + seed;
            try {
              typed.get(node.getKey()).apply(ConfigResolver.resolve(node.getValue(), file, "node.yaml", env));
              problems.add("accepted: " + where);
            } catch (ConfigException refused) {
              if (!refused.getMessage().contains(key.path())) {
                problems.add(where + ": message does not name the key: " + refused.getMessage());
              }
            } catch (RuntimeException other) {
              problems.add(where + ": failed with " + other + " instead of a ConfigException naming the key");
            }
            tried++;
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " of " + tried + " wrong values not refused by key:\n" + String.join("\n",
          problems.stream().distinct().limit(60).toList()));
    }
    System.out.println("ConfigFuzzTest: " + tried + " wrong values refused, each naming its key");
  }

  /** A few wrong values for {@code key}: of another type, out of range, empty. */
  private static List<Object> badValues(ConfigKey key, String node, Random random) {
    List<Object> values = new ArrayList<>();
    values.add(Map.of("nested", random.nextInt(9))); // a mapping where a value belongs
    switch (key.type()) {
      case INT -> {
        values.add(pick(random, "eighty", "1.5", "0x10", "9999999999", "1e3", ""));
        values.add(pick(random, List.of(1, 2), true, 2.5, 9_999_999_999L));
        values.add(-1 - random.nextInt(1_000_000));
        if (!ZERO_MEANS_OFF.contains(key.path()) && !ZERO_MEANS_OFF.contains(key.path() + "@" + node)) {
          values.add(0);
        }
      }
      case DOUBLE -> {
        values.add(pick(random, "lots", "", "1,5"));
        values.add(pick(random, "NaN", "Infinity", "-Infinity", -1.0 - random.nextInt(100)));
      }
      case BOOLEAN -> values.add(pick(random, "maybe", "2", "", "on?", 7));
      case STRING -> {
        values.add(List.of("a", "b"));
        if (!EMPTY_MEANS_OFF.contains(key.path())) {
          values.add(pick(random, "", "   "));
        }
      }
      case STRING_LIST -> values.add(EMPTY_MEANS_OFF.contains(key.path()) ? "host-without-port"
          : pick(random, "", " , ", "host-without-port"));
    }
    return values;
  }

  private static Object pick(Random random, Object... options) {
    return options[random.nextInt(options.length)];
  }

  /** {@code a.b.c = value} as the YAML tree {@code {a: {b: {c: value}}}}. */
  private static Map<String, Object> nest(String path, Object value) {
    String[] parts = path.split("\\.");
    Object tree = value;
    for (int i = parts.length - 1; i >= 0; i--) {
      Map<String, Object> level = new LinkedHashMap<>();
      level.put(parts[i], tree);
      tree = level;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) tree;
    return root;
  }

  private static String describe(Object value) {
    return value instanceof String text ? "'" + text + "'" : value.getClass().getSimpleName() + " " + value;
  }
}
