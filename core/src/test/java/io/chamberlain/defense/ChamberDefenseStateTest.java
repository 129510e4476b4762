package io.chamberlain.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;
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

  /** The stored format never changes silently: states written by earlier builds stay readable. */
  @Test
  void encodingMatchesTheGoldenBytes() throws IOException {
    ChamberDefenseState state = stateAfter(12);
    state.pluginState("{\"n\":3}".getBytes(StandardCharsets.UTF_8));
    String golden = Files.readString(Path.of("src/test/resources/golden/chamber-state.hex")).strip();
    assertEquals(golden, HexFormat.of().formatHex(state.toBytes()));
    assertEquals(state, ChamberDefenseState.fromBytes(HexFormat.of().parseHex(golden)));
  }

  @Test
  void aCountBeyondTheBytesIsCorruptNotAnAllocation() {
    byte[] bytes = stateAfter(6).toBytes();
    ByteBuffer.wrap(bytes).putInt(6, Integer.MAX_VALUE / 64);
    byte[] resealed = reseal(bytes);
    assertCorrupt(resealed, "length does not match its content");
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

  /** Recomputes the trailing CRC, so a test reaches the checks behind it. */
  private static byte[] reseal(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    return bytes;
  }

  private static void assertCorrupt(byte[] bytes, String reason) {
    CorruptStateException error = assertThrows(CorruptStateException.class, () -> ChamberDefenseState.fromBytes(bytes));
    assertTrue(error.getMessage().contains(reason), error.getMessage());
  }
}
