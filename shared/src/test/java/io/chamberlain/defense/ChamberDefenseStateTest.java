package io.chamberlain.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChamberDefenseStateTest {

  static ChamberDefenseState stateAfter(int contexts) {
    BuiltInDefense defense = new BuiltInDefense(new DefenseSettings(5, 0.1, 0.01, 8, 10));
    TraceGenerator generator = new TraceGenerator(new TraceGenerator.Settings(1, 0.2, 2));
    ChamberProfile profile = new ChamberProfile(ChamberKey.parse("tool:1"), 4, 2, 20);
    ChamberDefenseState state = new ChamberDefenseState(8);
    for (int c = 0; c < contexts; c++) {
      defense.evaluate(state, "c" + c, generator.generate(profile, "c" + c).trace());
    }
    return state;
  }

  @Test
  void emptyStateRoundTrips() {
    ChamberDefenseState empty = new ChamberDefenseState(16);
    assertEquals(empty, ChamberDefenseState.fromBytes(empty.toBytes()));
  }

  @Test
  void learnedStateRoundTripsExactly() {
    ChamberDefenseState state = stateAfter(12);
    state.pluginState("{\"n\":3}".getBytes(StandardCharsets.UTF_8));
    ChamberDefenseState copy = ChamberDefenseState.fromBytes(state.toBytes());
    assertEquals(state, copy);
    assertArrayEquals(state.toBytes(), copy.toBytes());
    assertEquals(4, copy.svidCount());
    assertEquals(12, copy.contextsJudged());
    assertEquals(8, copy.processed().inOrder().size(), "only the newest 8 ids are kept");
    assertTrue(copy.alreadyJudged("c11"));
    assertTrue(!copy.alreadyJudged("c3"));
  }

  @Test
  void flippedBitIsCaughtByTheChecksum() {
    byte[] bytes = stateAfter(6).toBytes();
    bytes[bytes.length / 2] ^= 1;
    assertCorrupt(bytes, "checksum mismatch");
  }

  @Test
  void badMagicTruncationAndVersion() {
    byte[] bytes = stateAfter(6).toBytes();
    byte[] magic = bytes.clone();
    magic[0] = 'X';
    assertCorrupt(magic, "bad magic");
    byte[] version = bytes.clone();
    version[5] = 7;
    assertCorrupt(version, "version 7 is not supported");
    assertCorrupt(Arrays.copyOf(bytes, 12), "truncated");
    assertCorrupt(Arrays.copyOf(bytes, bytes.length - 20), "checksum mismatch");
  }

  private static void assertCorrupt(byte[] bytes, String reason) {
    CorruptStateException error = assertThrows(CorruptStateException.class, () -> ChamberDefenseState.fromBytes(bytes));
    assertTrue(error.getMessage().contains(reason), error.getMessage());
  }
}
