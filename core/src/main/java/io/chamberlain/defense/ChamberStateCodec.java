package io.chamberlain.defense;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Binary form of {@link ChamberDefenseState}, the value stored in the JetStream KV bucket.
 * Big-endian; strings are modified UTF-8 with a 2-byte length ({@link DataOutputStream#writeUTF}).
 * Written into one exactly sized array and read with bulk copies: a state is 20–400 KB and is
 * written on every event.
 *
 * <pre>
 * int    magic "CHDS"           short version (1)
 * int    svidCount (0 = nothing learned yet)          long contextsJudged
 * if svidCount > 0, with S = svidCount × windows × 6 charts:
 *   int windows (1 = whole context; 1 + steps with per-step windows)
 *   int learnedContexts, double[S] centre, double[S] spread
 *   int historyCapacity H, int historySize, int historyNext, short[S × H] z ring (z × 1000, see ZHistory)
 * int    processedIdCapacity, int n, n × UTF context id (oldest first)
 * int    pluginState length (−1 = none), bytes
 * int    CRC-32 of every byte before it
 * </pre>
 *
 * Size ≈ {@code S × (16 + 2H) + 40 × ids} bytes; with the default settings 200 SVIDs take
 * ≈ 75 KB and 1,000 SVIDs ≈ 370 KB; per-step windows multiply it by 1 + steps (1,000 SVIDs with
 * 6 steps ≈ 2.4 MB). The KV bucket's max value size and the server's max_payload must allow it.
 */
final class ChamberStateCodec {

  static final int MAGIC = 0x43484453;
  static final short VERSION = 1;
  /** magic, version, svidCount, contextsJudged. */
  private static final int HEADER_BYTES = Integer.BYTES + Short.BYTES + Integer.BYTES + Long.BYTES;

  private ChamberStateCodec() {
  }

  static byte[] encode(ChamberDefenseState state) {
    byte[] ids = processedIds(state.processed());
    byte[] plugin = state.pluginState();
    ByteBuffer out = ByteBuffer.allocate(encodedSize(state, ids.length, plugin));
    out.putInt(MAGIC).putShort(VERSION).putInt(state.svidCount()).putLong(state.contextsJudged());
    if (state.svidCount() > 0) {
      ControlLimits limits = state.limits();
      ZHistory history = state.history();
      out.putInt(state.windows()).putInt(limits.learnedContexts());
      putDoubles(out, limits.centres());
      putDoubles(out, limits.spreads());
      out.putInt(history.capacity()).putInt(history.size()).putInt(history.next());
      out.asShortBuffer().put(history.ring());
      out.position(out.position() + history.ring().length * Short.BYTES);
    }
    out.putInt(state.processed().capacity()).putInt(state.processed().inOrder().size()).put(ids);
    out.putInt(plugin == null ? -1 : plugin.length);
    if (plugin != null) {
      out.put(plugin);
    }
    CRC32 crc = new CRC32();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  /** The exact length, so a 20–400 KB state is written into one array without regrowing it. */
  private static int encodedSize(ChamberDefenseState state, int idBytes, byte[] plugin) {
    int size = HEADER_BYTES;
    if (state.svidCount() > 0) {
      size += 2 * Integer.BYTES + 2 * Double.BYTES * state.limits().centres().length + 3 * Integer.BYTES
          + Short.BYTES * state.history().ring().length;
    }
    return size + 2 * Integer.BYTES + idBytes + Integer.BYTES + (plugin == null ? 0 : plugin.length) + Integer.BYTES;
  }

  /** The processed ids as {@link DataOutputStream#writeUTF} writes them: a 2-byte length, modified UTF-8. */
  private static byte[] processedIds(ProcessedContexts processed) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(processed.inOrder().size() * 40);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      for (String id : processed.inOrder()) {
        out.writeUTF(id);
      }
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return bytes.toByteArray();
  }

  private static void putDoubles(ByteBuffer out, double[] values) {
    out.asDoubleBuffer().put(values);
    out.position(out.position() + values.length * Double.BYTES);
  }

  static ChamberDefenseState decode(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER_BYTES + Integer.BYTES) {
      throw new CorruptStateException("chamber state is truncated: " + (bytes == null ? "no bytes" : bytes.length + " bytes"));
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 4);
    int storedCrc = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
    try {
      if (in.getInt() != MAGIC) {
        throw new CorruptStateException("chamber state has bad magic, expected \"CHDS\"");
      }
      short version = in.getShort();
      if (version != VERSION) {
        throw new CorruptStateException("chamber state version " + version + " is not supported (only " + VERSION + ")");
      }
      if ((int) crc.getValue() != storedCrc) {
        throw new CorruptStateException("chamber state checksum mismatch");
      }
      return readBody(in);
    } catch (IOException | BufferUnderflowException | IllegalArgumentException | ArithmeticException
        | NegativeArraySizeException | OutOfMemoryError bad) {
      throw new CorruptStateException("chamber state is malformed: " + bad, bad);
    }
  }

  private static ChamberDefenseState readBody(ByteBuffer in) throws IOException {
    int svidCount = in.getInt();
    long contextsJudged = in.getLong();
    ControlLimits limits = null;
    ZHistory history = null;
    int windows = 0;
    if (svidCount > 0) {
      windows = in.getInt();
      int series = Math.multiplyExact(Math.multiplyExact(svidCount, windows), Indicator.COUNT);
      int learned = in.getInt();
      double[] centre = readDoubles(in, series);
      double[] spread = readDoubles(in, series);
      limits = new ControlLimits(centre, spread, learned);
      int capacity = in.getInt();
      int size = in.getInt();
      int next = in.getInt();
      int ringLength = Math.multiplyExact(series, capacity);
      requireRemaining(in, (long) ringLength * Short.BYTES);
      short[] ring = new short[ringLength];
      in.asShortBuffer().get(ring);
      in.position(in.position() + ring.length * Short.BYTES);
      history = new ZHistory(series, capacity, ring, size, next);
    }
    ProcessedContexts processed = new ProcessedContexts(in.getInt());
    int ids = in.getInt();
    DataInputStream idStream = new DataInputStream(new ByteArrayInputStream(in.array(), in.position(), in.remaining()));
    for (int i = 0; i < ids; i++) {
      processed.add(idStream.readUTF());
    }
    in.position(in.limit() - idStream.available());
    int pluginLength = in.getInt();
    byte[] plugin = null;
    if (pluginLength >= 0) {
      requireRemaining(in, pluginLength);
      plugin = new byte[pluginLength];
      in.get(plugin);
    }
    if (in.hasRemaining()) {
      throw new CorruptStateException("chamber state length does not match its content");
    }
    return new ChamberDefenseState(svidCount, windows, limits, history, processed, contextsJudged, plugin);
  }

  private static double[] readDoubles(ByteBuffer in, int count) {
    requireRemaining(in, (long) count * Double.BYTES);
    double[] values = new double[count];
    in.asDoubleBuffer().get(values);
    in.position(in.position() + count * Double.BYTES);
    return values;
  }

  /** Checked before allocating, so a corrupt count cannot ask for gigabytes. */
  private static void requireRemaining(ByteBuffer in, long bytes) {
    if (bytes > in.remaining()) {
      throw new CorruptStateException("chamber state length does not match its content");
    }
  }
}
