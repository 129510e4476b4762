package io.chamberlain.worker.runtime;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.worker.defense.ChamberDefense;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A defender's in-memory chamber states: those of its deployed chambers, and of chambers that left
 * recently, so that a chamber coming back finds its state warm — if nobody processed it meanwhile
 * (same KV revision). Hits and misses on activation are counted: they show what chamber movement
 * costs.
 *
 * <p>Bounded: a chamber that left ({@link #released}) stays only among the
 * {@code releasedCapacity} most recently released ones. Leases make defenders serve many other
 * defenders' chambers over a rolling update; without the bound each would keep every state it ever
 * held. Thread-safe (chamber verticles activate on worker threads).
 */
public final class ChamberCache {

  /** How many states of chambers that left are kept by default (~30 KB each at the default profile). */
  public static final int DEFAULT_RELEASED_CAPACITY = 256;

  /** A chamber's defense and the KV revision its state was last read or written at. */
  public record Cached(ChamberDefense defense, long revision) {
  }

  private final ConcurrentHashMap<ChamberKey, Cached> active = new ConcurrentHashMap<>();
  private final Map<ChamberKey, Cached> released;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  public ChamberCache() {
    this(DEFAULT_RELEASED_CAPACITY);
  }

  public ChamberCache(int releasedCapacity) {
    if (releasedCapacity < 0) {
      throw new IllegalArgumentException("released capacity must be ≥ 0, was " + releasedCapacity);
    }
    this.released = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ChamberKey, Cached> eldest) {
        return size() > releasedCapacity;
      }
    };
  }

  /** @return the cached chamber if it is still at {@code currentRevision}; counts the hit or miss */
  public Cached reuse(ChamberKey chamber, long currentRevision) {
    Cached cached = active.get(chamber);
    if (cached == null) {
      synchronized (released) {
        cached = released.remove(chamber);
      }
    }
    if (cached != null && cached.revision() == currentRevision && !cached.defense().spoiled()) {
      active.put(chamber, cached);
      hits.incrementAndGet();
      return cached;
    }
    misses.incrementAndGet();
    return null;
  }

  /** The chamber is served here with this state. */
  public void put(ChamberKey chamber, Cached cached) {
    active.put(chamber, cached);
  }

  /** The chamber left this defender: its state is kept among the most recently released ones. */
  public void released(ChamberKey chamber) {
    Cached cached = active.remove(chamber);
    if (cached != null) {
      synchronized (released) {
        released.put(chamber, cached);
      }
    }
  }

  public void invalidate(ChamberKey chamber) {
    active.remove(chamber);
    synchronized (released) {
      released.remove(chamber);
    }
  }

  /** States held: of chambers served here plus the released ones kept. */
  public int size() {
    synchronized (released) {
      return active.size() + released.size();
    }
  }

  public long hits() {
    return hits.get();
  }

  public long misses() {
    return misses.get();
  }
}
