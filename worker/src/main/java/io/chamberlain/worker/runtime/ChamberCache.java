package io.chamberlain.worker.runtime;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.worker.defense.ChamberDefense;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A defender's in-memory chamber states, kept after a chamber leaves so that a chamber coming
 * back finds its state warm — if nobody processed it meanwhile (same KV revision). Hits and misses
 * on activation are counted: they show what chamber movement costs.
 */
public final class ChamberCache {

  /** A chamber's defense and the KV revision its state was last read or written at. */
  public record Cached(ChamberDefense defense, long revision) {
  }

  private final ConcurrentHashMap<ChamberKey, Cached> chambers = new ConcurrentHashMap<>();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /** @return the cached chamber if it is still at {@code currentRevision}; counts the hit or miss */
  public Cached reuse(ChamberKey chamber, long currentRevision) {
    Cached cached = chambers.get(chamber);
    if (cached != null && cached.revision() == currentRevision) {
      hits.incrementAndGet();
      return cached;
    }
    misses.incrementAndGet();
    return null;
  }

  public void put(ChamberKey chamber, Cached cached) {
    chambers.put(chamber, cached);
  }

  public void invalidate(ChamberKey chamber) {
    chambers.remove(chamber);
  }

  public long hits() {
    return hits.get();
  }

  public long misses() {
    return misses.get();
  }
}
