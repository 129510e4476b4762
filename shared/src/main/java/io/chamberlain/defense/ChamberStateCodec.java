package io.chamberlain.defense;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;

/**
 * Binary form of {@link ChamberDefenseState}, the value stored in the JetStream KV bucket.
 * Big-endian ({@link DataOutputStream}); strings are modified UTF-8 with a 2-byte length.
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

  private ChamberStateCodec() {
  }

  static byte[] encode(ChamberDefenseState state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeShort(VERSION);
      out.writeInt(state.svidCount());
      out.writeLong(state.contextsJudged());
      if (state.svidCount() > 0) {
        out.writeInt(state.windows());
        ControlLimits limits = state.limits();
        out.writeInt(limits.learnedContexts());
        for (double value : limits.centres()) {
          out.writeDouble(value);
        }
        for (double value : limits.spreads()) {
          out.writeDouble(value);
        }
        ZHistory history = state.history();
        out.writeInt(history.capacity());
        out.writeInt(history.size());
        out.writeInt(history.next());
        for (short value : history.ring()) {
          out.writeShort(value);
        }
      }
      out.writeInt(state.processed().capacity());
      out.writeInt(state.processed().inOrder().size());
      for (String id : state.processed().inOrder()) {
        out.writeUTF(id);
      }
      byte[] plugin = state.pluginState();
      out.writeInt(plugin == null ? -1 : plugin.length);
      if (plugin != null) {
        out.write(plugin);
      }
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return bytes.toByteArray();
  }

  static ChamberDefenseState decode(byte[] bytes) {
    if (bytes == null || bytes.length < 4 + 2 + 4 + 8 + 4) {
      throw new CorruptStateException("chamber state is truncated: " + (bytes == null ? "no bytes" : bytes.length + " bytes"));
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    int storedCrc = java.nio.ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 4));
    try {
      if (in.readInt() != MAGIC) {
        throw new CorruptStateException("chamber state has bad magic, expected \"CHDS\"");
      }
      short version = in.readShort();
      if (version != VERSION) {
        throw new CorruptStateException("chamber state version " + version + " is not supported (only " + VERSION + ")");
      }
      if ((int) crc.getValue() != storedCrc) {
        throw new CorruptStateException("chamber state checksum mismatch");
      }
      return readBody(in);
    } catch (IOException | IllegalArgumentException | ArithmeticException | NegativeArraySizeException | OutOfMemoryError bad) {
      throw new CorruptStateException("chamber state is malformed: " + bad, bad);
    }
  }

  private static ChamberDefenseState readBody(DataInputStream in) throws IOException {
    int svidCount = in.readInt();
    long contextsJudged = in.readLong();
    ControlLimits limits = null;
    ZHistory history = null;
    int windows = 0;
    if (svidCount > 0) {
      windows = in.readInt();
      int series = Math.multiplyExact(Math.multiplyExact(svidCount, windows), Indicator.COUNT);
      int learned = in.readInt();
      double[] centre = readDoubles(in, series);
      double[] spread = readDoubles(in, series);
      limits = new ControlLimits(centre, spread, learned);
      int capacity = in.readInt();
      int size = in.readInt();
      int next = in.readInt();
      short[] ring = new short[Math.multiplyExact(series, capacity)];
      for (int i = 0; i < ring.length; i++) {
        ring[i] = in.readShort();
      }
      history = new ZHistory(series, capacity, ring, size, next);
    }
    ProcessedContexts processed = new ProcessedContexts(in.readInt());
    int ids = in.readInt();
    for (int i = 0; i < ids; i++) {
      processed.add(in.readUTF());
    }
    int pluginLength = in.readInt();
    byte[] plugin = pluginLength < 0 ? null : in.readNBytes(pluginLength);
    if (plugin != null && plugin.length != pluginLength || in.available() != 0) {
      throw new CorruptStateException("chamber state length does not match its content");
    }
    return new ChamberDefenseState(svidCount, windows, limits, history, processed, contextsJudged, plugin);
  }

  private static double[] readDoubles(DataInputStream in, int count) throws IOException {
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      values[i] = in.readDouble();
    }
    return values;
  }
}
