package io.chamberlain.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaBaselineTest {

  /** Vectors from Kafka's own {@code UtilsTest.testMurmur2}. */
  @Test
  void murmur2MatchesKafka() {
    assertEquals(-973932308, KafkaBaseline.murmur2(bytes("21")));
    assertEquals(-790332482, KafkaBaseline.murmur2(bytes("foobar")));
    assertEquals(-985981536, KafkaBaseline.murmur2(bytes("a-little-bit-long-string")));
    assertEquals(-1486304829, KafkaBaseline.murmur2(bytes("a-little-bit-longer-string")));
    assertEquals(-58897971, KafkaBaseline.murmur2(bytes("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")));
    assertEquals(479470107, KafkaBaseline.murmur2(bytes("abc")));
  }

  @Test
  void countBalancedPartitionsAreWeightImbalancedAndStickyOnScaleDown() {
    var weights = SyntheticPopulation.weights(6000, 42);
    KafkaBaseline.Outcome same = KafkaBaseline.evaluate(weights, Scenario.defenders(64), Scenario.defenders(64));
    assertEquals(0, same.movedChambers());
    assertTrue(same.maxOverFair() > 1.1, "hash partitions should be visibly unbalanced: " + same.maxOverFair());
    KafkaBaseline.Outcome up = KafkaBaseline.evaluate(weights, Scenario.defenders(64), Scenario.defenders(100));
    assertEquals(36, up.idleConsumers());
    KafkaBaseline.Outcome down = KafkaBaseline.evaluate(weights, Scenario.defenders(64), Scenario.defenders(30));
    assertTrue(down.movedChambers() > 0 && down.movedChambers() < 6000);
    assertEquals(0, KafkaBaseline.evaluate(weights, List.of(), Scenario.defenders(64)).movedChambers());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
