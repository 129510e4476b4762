package io.chamberlain.defense;

import java.util.Arrays;

/**
 * The last {@code capacity} standardized values of every chart, as the run rules need them.
 * All charts advance together (one row per judged context), so one ring index serves all.
 *
 * <p>Values are kept as int16 thousandths of a sigma, clamped to ±{@value #MAX_Z}: the rules
 * compare against lines of a few sigma and order consecutive values, for which 0.001 σ is ample,
 * and it halves the persisted state ({@code seriesCount × capacity × 2} bytes; a 1,000-SVID
 * chamber stays well below NATS' default 1 MB message limit). Memory holds the same quantized
 * values as storage, so a chamber resumed from its bytes judges exactly like one that never moved.
 */
public final class ZHistory {

  /** Largest |z| kept; anything further out is beyond every rule's line anyway. */
  public static final double MAX_Z = 32.767;
  private static final double SCALE = 1000;

  private final int seriesCount;
  private final int capacity;
  /** Row-major by context slot: slot × seriesCount + series. */
  private final short[] ring;
  private int size;
  private int next;

  public ZHistory(int seriesCount, int capacity) {
    this(seriesCount, capacity, new short[seriesCount * capacity], 0, 0);
  }

  ZHistory(int seriesCount, int capacity, short[] ring, int size, int next) {
    if (seriesCount < 1 || capacity < 1 || ring.length != seriesCount * capacity
        || size < 0 || size > capacity || next < 0 || next >= capacity) {
      throw new IllegalArgumentException("z history shape is inconsistent: " + seriesCount + " series × "
          + capacity + " slots, ring " + ring.length + ", size " + size + ", next " + next);
    }
    this.seriesCount = seriesCount;
    this.capacity = capacity;
    this.ring = ring;
    this.size = size;
    this.next = next;
  }

  public int capacity() {
    return capacity;
  }

  public int size() {
    return size;
  }

  /** Appends one context's values (quantized; read them back with {@link #window}). */
  public void append(float[] z) {
    int row = next * seriesCount;
    for (int s = 0; s < seriesCount; s++) {
      ring[row + s] = encode(z[s]);
    }
    next = (next + 1) % capacity;
    size = Math.min(size + 1, capacity);
  }

  /** Copies one chart's values, oldest first, into {@code window}; returns how many. */
  public int window(int series, float[] window) {
    int oldest = (next - size + capacity) % capacity;
    for (int i = 0; i < size; i++) {
      window[i] = ring[((oldest + i) % capacity) * seriesCount + series] / (float) SCALE;
    }
    return size;
  }

  int next() {
    return next;
  }

  short[] ring() {
    return ring;
  }

  private static short encode(double z) {
    double clamped = Double.isNaN(z) ? 0 : Math.max(-MAX_Z, Math.min(MAX_Z, z));
    return (short) Math.round(clamped * SCALE);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ZHistory that && size == that.size && next == that.next
        && capacity == that.capacity && Arrays.equals(ring, that.ring);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ring) * 31 + next;
  }
}
