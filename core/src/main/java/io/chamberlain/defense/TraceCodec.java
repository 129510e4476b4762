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
 *  6      2     flags            bit 0: a step table follows the payload; other bits must be 0 (uint16)
 *  8      4     svidCount        int32, ≥ 1
 * 12      4     samples          int32 per SVID, ≥ 1
 * 16      8     hz               float64, > 0
 * 24      8     contextSeconds   float64, > 0
 * 32      4     payloadCrc32     CRC-32 (java.util.zip / zlib) of every byte after the header
 * 36      …     payload          svidCount columns × samples float32; column s holds SVID s
 * then, only with flags bit 0 (written when the trace has more than one step):
 *         4     stepCount        int32, ≥ 1
 *         4 × n stepStarts       int32 first sample of each recipe step: 0, strictly increasing, < samples
 * </pre>
 *
 * Total size is exactly {@code 36 + 4 × svidCount × samples} (+ {@code 4 + 4 × stepCount} with
 * steps); anything else is corrupt. Readers that ignore steps read the payload at offset 36.
 */
public final class TraceCodec {

  public static final int MAGIC = 0x52544843; // "CHTR" read as a little-endian int
  public static final short VERSION = 1;
  public static final int HEADER_BYTES = 36;
  public static final int FLAG_STEPS = 1;
  /** Bigger traces than this cannot be addressed by one byte array. */
  public static final long MAX_POINTS = (Integer.MAX_VALUE - HEADER_BYTES) / Float.BYTES;

  private TraceCodec() {
  }

  public static byte[] encode(Trace trace) {
    if (trace.points() > MAX_POINTS) {
      throw new IllegalArgumentException("trace has " + trace.points() + " points, at most " + MAX_POINTS + " fit");
    }
    int payloadBytes = (int) trace.points() * Float.BYTES;
    boolean steps = trace.stepCount() > 1;
    int stepBytes = steps ? Integer.BYTES * (1 + trace.stepCount()) : 0;
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + payloadBytes + stepBytes).order(ByteOrder.LITTLE_ENDIAN);
    out.position(HEADER_BYTES);
    for (int svid = 0; svid < trace.svidCount(); svid++) {
      out.asFloatBuffer().put(trace.series(svid));
      out.position(out.position() + trace.samples() * Float.BYTES);
    }
    if (steps) {
      out.putInt(trace.stepCount());
      for (int start : trace.stepStarts()) {
        out.putInt(start);
      }
    }
    out.putInt(0, MAGIC)
        .putShort(4, VERSION)
        .putShort(6, (short) (steps ? FLAG_STEPS : 0))
        .putInt(8, trace.svidCount())
        .putInt(12, trace.samples())
        .putDouble(16, trace.hz())
        .putDouble(24, trace.contextSeconds())
        .putInt(32, crc(out.array(), HEADER_BYTES, payloadBytes + stepBytes));
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
    if ((flags & ~FLAG_STEPS) != 0) {
      throw new CorruptTraceException(String.format("trace flags 0x%04x are not supported by format version 1", flags));
    }
    int svidCount = in.getInt(8);
    int samples = in.getInt(12);
    if (svidCount < 1 || samples < 1) {
      throw new CorruptTraceException("trace header has svidCount " + svidCount + " and samples " + samples + "; both must be ≥ 1");
    }
    long payloadEnd = HEADER_BYTES + (long) svidCount * samples * Float.BYTES;
    int stepCount = (flags & FLAG_STEPS) == 0 || bytes.length < payloadEnd + Integer.BYTES ? 0 : in.getInt((int) payloadEnd);
    long expected = (flags & FLAG_STEPS) == 0 ? payloadEnd : payloadEnd + Integer.BYTES * (1L + Math.max(0, stepCount));
    if (bytes.length != expected || (flags & FLAG_STEPS) != 0 && stepCount < 1) {
      throw new CorruptTraceException("trace length mismatch: header says " + svidCount + " SVIDs × " + samples
          + " samples" + ((flags & FLAG_STEPS) == 0 ? "" : " + a table of " + stepCount + " steps")
          + " = " + expected + " bytes, got " + bytes.length);
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
    int[] stepStarts = {0};
    if (stepCount > 0) {
      stepStarts = new int[stepCount];
      for (int step = 0; step < stepCount; step++) {
        stepStarts[step] = in.getInt((int) payloadEnd + Integer.BYTES * (1 + step));
      }
    }
    try {
      return new Trace(in.getDouble(16), in.getDouble(24), series, stepStarts);
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
