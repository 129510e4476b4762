package io.chamberlain.defense;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * The binary trace format stored in the JetStream object store under the context id.
 * Everything is little-endian (readable by {@code numpy.frombuffer(..., '<f4')} and by Python's
 * {@code struct}/{@code array} without conversion on x86/ARM).
 *
 * <pre>
 * offset  size  field
 *  0      4     magic            "CHTR" (0x43 0x48 0x54 0x52)
 *  4      2     version          1 (uint16)
 *  6      2     flags            0; reserved for later layouts, anything else is refused (uint16)
 *  8      4     svidCount        int32, ≥ 1
 * 12      4     samples          int32 per SVID, ≥ 1
 * 16      8     hz               float64, > 0
 * 24      8     contextSeconds   float64, > 0
 * 32      4     payloadCrc32     CRC-32 (java.util.zip / zlib) of the payload bytes
 * 36      …     payload          svidCount columns × samples float32; column s holds SVID s
 * </pre>
 *
 * Total size is exactly {@code 36 + 4 × svidCount × samples}; anything else is corrupt.
 */
public final class TraceCodec {

  public static final int MAGIC = 0x52544843; // "CHTR" read as a little-endian int
  public static final short VERSION = 1;
  public static final int HEADER_BYTES = 36;
  /** Bigger traces than this cannot be addressed by one byte array. */
  public static final long MAX_POINTS = (Integer.MAX_VALUE - HEADER_BYTES) / Float.BYTES;

  private TraceCodec() {
  }

  public static byte[] encode(Trace trace) {
    if (trace.points() > MAX_POINTS) {
      throw new IllegalArgumentException("trace has " + trace.points() + " points, at most " + MAX_POINTS + " fit");
    }
    int payloadBytes = (int) trace.points() * Float.BYTES;
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + payloadBytes).order(ByteOrder.LITTLE_ENDIAN);
    out.position(HEADER_BYTES);
    for (int svid = 0; svid < trace.svidCount(); svid++) {
      out.asFloatBuffer().put(trace.series(svid));
      out.position(out.position() + trace.samples() * Float.BYTES);
    }
    out.putInt(0, MAGIC)
        .putShort(4, VERSION)
        .putShort(6, (short) 0)
        .putInt(8, trace.svidCount())
        .putInt(12, trace.samples())
        .putDouble(16, trace.hz())
        .putDouble(24, trace.contextSeconds())
        .putInt(32, crc(out.array(), HEADER_BYTES, payloadBytes));
    return out.array();
  }

  /** @throws CorruptTraceException saying what is wrong with {@code bytes} */
  public static Trace decode(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER_BYTES) {
      throw new CorruptTraceException("trace is truncated: " + (bytes == null ? "no bytes" : bytes.length + " bytes")
          + ", the header alone is " + HEADER_BYTES);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (in.getInt(0) != MAGIC) {
      throw new CorruptTraceException(String.format("trace has bad magic 0x%08x, expected \"CHTR\"", in.getInt(0)));
    }
    int version = Short.toUnsignedInt(in.getShort(4));
    if (version != VERSION) {
      throw new CorruptTraceException("trace format version " + version + " is not supported (only " + VERSION + ")");
    }
    int flags = Short.toUnsignedInt(in.getShort(6));
    if (flags != 0) {
      throw new CorruptTraceException(String.format("trace flags 0x%04x are not supported by format version 1", flags));
    }
    int svidCount = in.getInt(8);
    int samples = in.getInt(12);
    if (svidCount < 1 || samples < 1) {
      throw new CorruptTraceException("trace header has svidCount " + svidCount + " and samples " + samples + "; both must be ≥ 1");
    }
    long expected = HEADER_BYTES + (long) svidCount * samples * Float.BYTES;
    if (bytes.length != expected) {
      throw new CorruptTraceException("trace length mismatch: header says " + svidCount + " SVIDs × " + samples
          + " samples = " + expected + " bytes, got " + bytes.length);
    }
    int storedCrc = in.getInt(32);
    int actualCrc = crc(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES);
    if (storedCrc != actualCrc) {
      throw new CorruptTraceException(String.format("trace checksum mismatch: header 0x%08x, payload 0x%08x", storedCrc, actualCrc));
    }
    float[][] series = new float[svidCount][samples];
    in.position(HEADER_BYTES);
    for (int svid = 0; svid < svidCount; svid++) {
      in.asFloatBuffer().get(series[svid]);
      in.position(in.position() + samples * Float.BYTES);
    }
    try {
      return new Trace(in.getDouble(16), in.getDouble(24), series);
    } catch (IllegalArgumentException invalid) {
      throw new CorruptTraceException("trace header is invalid: " + invalid.getMessage());
    }
  }

  private static int crc(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }
}
