package io.chamberlain.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceGeneratorTest {

  private static final ChamberProfile PROFILE = new ChamberProfile(ChamberKey.parse("tool001:1"), 20, 5, 60);

  private static GeneratedTrace generate(long seed, double faultRate, String context) {
    return new TraceGenerator(new TraceGenerator.Settings(seed, faultRate, 3)).generate(PROFILE, context);
  }

  @Test
  void sameInputSameBytes() {
    GeneratedTrace first = generate(7, 0.5, "ctx-1");
    GeneratedTrace second = generate(7, 0.5, "ctx-1");
    assertArrayEquals(TraceCodec.encode(first.trace()), TraceCodec.encode(second.trace()));
    assertEquals(first.truth(), second.truth());
    assertEquals(20, first.trace().svidCount());
    assertEquals(300, first.trace().samples());
  }

  @Test
  void contextAndSeedChangeTheData() {
    byte[] base = TraceCodec.encode(generate(7, 0, "ctx-1").trace());
    assertFalse(Arrays.equals(base, TraceCodec.encode(generate(7, 0, "ctx-2").trace())));
    assertFalse(Arrays.equals(base, TraceCodec.encode(generate(8, 0, "ctx-1").trace())));
  }

  @Test
  void recipeIsStableAcrossContexts() {
    IndicatorValues a = Indicators.of(generate(7, 0, "ctx-1").trace());
    IndicatorValues b = Indicators.of(generate(7, 0, "ctx-2").trace());
    for (int svid = 0; svid < 20; svid++) {
      double mean = a.get(svid, Indicator.MEAN);
      assertEquals(mean, b.get(svid, Indicator.MEAN), 0.2 * Math.abs(mean), "SVID " + svid + " mean");
    }
  }

  /** The fault draw comes after rendering, so a faulty context equals its clean twin except where injected. */
  @Test
  void faultsChangeExactlyTheGroundTruthSvids() {
    for (int c = 0; c < 30; c++) {
      GeneratedTrace clean = generate(3, 0, "ctx-" + c);
      GeneratedTrace faulty = generate(3, 1, "ctx-" + c);
      assertFalse(clean.truth().faulty());
      assertTrue(faulty.truth().faulty());
      for (int svid = 0; svid < 20; svid++) {
        boolean changed = !Arrays.equals(clean.trace().series(svid), faulty.trace().series(svid));
        assertEquals(faulty.truth().svids().contains(svid), changed, "context " + c + " SVID " + svid + " " + faulty.truth());
      }
    }
  }

  @Test
  void faultRateAndKindsAreAsConfigured() {
    Map<FaultKind, Integer> kinds = new EnumMap<>(FaultKind.class);
    for (int c = 0; c < 1000; c++) {
      GroundTruth truth = new TraceGenerator(new TraceGenerator.Settings(11, 0.2, 3))
          .generate(new ChamberProfile(ChamberKey.parse("t:1"), 2, 1, 10), "c" + c).truth();
      kinds.merge(truth.fault(), 1, Integer::sum);
      assertTrue(truth.svids().size() <= 2);
    }
    assertEquals(800, kinds.get(FaultKind.NONE), 40);
    for (FaultKind kind : new FaultKind[] {FaultKind.DRIFT, FaultKind.SPIKE, FaultKind.LEVEL_SHIFT}) {
      assertEquals(67, kinds.get(kind), 25, kind.name());
    }
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new TraceGenerator.Settings(1, 1.5, 1));
    assertThrows(IllegalArgumentException.class, () -> new TraceGenerator.Settings(1, 0.1, 0));
    assertNotEquals(GroundTruth.CLEAN, generate(1, 1, "x").truth());
  }
}
