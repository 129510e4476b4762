package io.chamberlain.defense;

import java.util.Arrays;

/**
 * The last {@code capacity} standardized values of every chart, as the run rules need them.
 * All charts advance together (one row per judged context), so one ring index serves all;
 * values are stored as float32 to keep the persisted state small
 * ({@code seriesCount × capacity × 4} bytes).
 */
public final class ZHistory {

  private final int seriesCount;
  private final int capacity;
  /** Row-major by context slot: slot × seriesCount + series. */
  private final float[] ring;
  private int size;
  private int next;

  public ZHistory(int seriesCount, int capacity) {
    this(seriesCount, capacity, new float[seriesCount * capacity], 0, 0);
  }

  ZHistory(int seriesCount, int capacity, float[] ring, int size, int next) {
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

  public void append(float[] z) {
    System.arraycopy(z, 0, ring, next * seriesCount, seriesCount);
    next = (next + 1) % capacity;
    size = Math.min(size + 1, capacity);
  }

  /** Copies one chart's values, oldest first, into {@code window}; returns how many. */
  public int window(int series, float[] window) {
    int oldest = (next - size + capacity) % capacity;
    for (int i = 0; i < size; i++) {
      window[i] = ring[((oldest + i) % capacity) * seriesCount + series];
    }
    return size;
  }

  int next() {
    return next;
  }

  float[] ring() {
    return ring;
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
