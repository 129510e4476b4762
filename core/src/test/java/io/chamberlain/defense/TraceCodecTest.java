package io.chamberlain.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TraceCodecTest {

  private static final Trace SMALL = new Trace(2, 1.5, new float[][] {{1, 2, 3}, {-0.5f, 0, 0.25f}});

  @Test
  void goldenBytes() {
    String hex = HexFormat.of().formatHex(TraceCodec.encode(SMALL));
    assertEquals("43485452" + "0100" + "0000" + "02000000" + "03000000"
        + "0000000000000040" + "000000000000f83f" + hex.substring(64, 72)
        + "0000803f" + "00000040" + "00004040" + "000000bf" + "00000000" + "0000803e", hex);
  }

  @Test
  void roundTripKeepsEverySample() {
    Trace decoded = TraceCodec.decode(TraceCodec.encode(SMALL));
    assertEquals(2, decoded.svidCount());
    assertEquals(3, decoded.samples());
    assertEquals(2, decoded.hz());
    assertEquals(1.5, decoded.contextSeconds());
    assertArrayEquals(SMALL.series(0), decoded.series(0));
    assertArrayEquals(SMALL.series(1), decoded.series(1));
  }

  @Test
  void badMagic() {
    byte[] bytes = TraceCodec.encode(SMALL);
    bytes[0] = 'X';
    assertCorrupt(bytes, "bad magic");
  }

  @Test
  void unsupportedVersion() {
    byte[] bytes = TraceCodec.encode(SMALL);
    bytes[4] = 9;
    assertCorrupt(bytes, "version 9 is not supported");
  }

  private static final Trace STEPPED = new Trace(1, 4, new float[][] {{1, 2, 3, 4}}, new int[] {0, 1, 3});

  @Test
  void stepTableGoldenBytesAndRoundTrip() {
    byte[] bytes = TraceCodec.encode(STEPPED);
    String hex = HexFormat.of().formatHex(bytes);
    assertEquals("0100", hex.substring(12, 16), "flags: step table");
    assertEquals("03000000" + "00000000" + "01000000" + "03000000", hex.substring(hex.length() - 32));
    Trace decoded = TraceCodec.decode(bytes);
    assertArrayEquals(new int[] {0, 1, 3}, decoded.stepStarts());
    assertArrayEquals(STEPPED.series(0), decoded.series(0));
  }

  @Test
  void oneStepWritesNoTable() {
    assertEquals(TraceCodec.HEADER_BYTES + 24, TraceCodec.encode(SMALL).length);
    assertArrayEquals(new int[] {0}, TraceCodec.decode(TraceCodec.encode(SMALL)).stepStarts());
  }

  @Test
  void corruptStepTable() {
    byte[] truncated = TraceCodec.encode(STEPPED);
    assertCorrupt(Arrays.copyOf(truncated, truncated.length - 4), "+ a table of 3 steps = 68 bytes, got 64");
    byte[] unordered = TraceCodec.encode(STEPPED);
    ByteBuffer.wrap(unordered).order(ByteOrder.LITTLE_ENDIAN).putInt(unordered.length - 4, 1);
    fixCrc(unordered);
    assertCorrupt(unordered, "step 2 starts at sample 1");
    byte[] flippedTable = TraceCodec.encode(STEPPED);
    flippedTable[flippedTable.length - 1] ^= 1;
    assertCorrupt(flippedTable, "checksum mismatch");
  }

  @Test
  void unknownFlags() {
    byte[] bytes = TraceCodec.encode(SMALL);
    bytes[6] = 2;
    assertCorrupt(bytes, "trace flags 0x0002 are not supported");
  }

  private static void fixCrc(byte[] bytes) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(bytes, TraceCodec.HEADER_BYTES, bytes.length - TraceCodec.HEADER_BYTES);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(32, (int) crc.getValue());
  }

  @Test
  void truncatedHeader() {
    assertCorrupt(new byte[10], "truncated: 10 bytes");
    assertCorrupt(null, "no bytes");
  }

  @Test
  void truncatedPayload() {
    byte[] bytes = TraceCodec.encode(SMALL);
    assertCorrupt(Arrays.copyOf(bytes, bytes.length - 4), "length mismatch: header says 2 SVIDs × 3 samples = 60 bytes, got 56");
  }

  @Test
  void flippedPayloadBitFailsTheChecksum() {
    byte[] bytes = TraceCodec.encode(SMALL);
    bytes[TraceCodec.HEADER_BYTES + 5] ^= 0x10;
    assertCorrupt(bytes, "checksum mismatch");
  }

  @Test
  void invalidHeaderValues() {
    byte[] bytes = TraceCodec.encode(SMALL);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putDouble(16, -1);
    assertCorrupt(bytes, "hz must be > 0");
    byte[] noSvids = TraceCodec.encode(SMALL);
    ByteBuffer.wrap(noSvids).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0);
    assertCorrupt(noSvids, "svidCount 0");
  }

  private static void assertCorrupt(byte[] bytes, String reason) {
    CorruptTraceException error = assertThrows(CorruptTraceException.class, () -> TraceCodec.decode(bytes));
    assertTrue(error.getMessage().contains(reason), error.getMessage());
  }
}
