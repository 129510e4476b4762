package io.chamberlain.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.worker.defense.BuiltInDefenseProvider;
import io.chamberlain.worker.defense.ChamberDefense;
import io.chamberlain.worker.runtime.ChamberCache.Cached;
import org.junit.jupiter.api.Test;

/** The warm-state cache: reused only at the KV revision it was cached at; every activation counted. */
class ChamberCacheTest {

  private static final ChamberKey CHAMBER = ChamberKey.parse("tool001:1");
  private static final ChamberKey NEIGHBOUR = ChamberKey.parse("tool001:2");

  private final ChamberCache cache = new ChamberCache();

  private static Cached cachedAt(long revision) {
    return new Cached(new ChamberDefense(new BuiltInDefenseProvider().create(null), null), revision);
  }

  @Test
  void aChamberNeverCachedIsAMiss() {
    assertNull(cache.reuse(CHAMBER, 0));
    assertEquals(0, cache.hits());
    assertEquals(1, cache.misses());
  }

  @Test
  void theSameRevisionIsAHitWithTheVeryDefenseCached() {
    Cached cached = cachedAt(5);
    cache.put(CHAMBER, cached);
    assertSame(cached, cache.reuse(CHAMBER, 5));
    assertSame(cached, cache.reuse(CHAMBER, 5), "a hit does not consume the entry");
    assertEquals(2, cache.hits());
    assertEquals(0, cache.misses());
  }

  @Test
  void anyOtherRevisionIsAMissBecauseSomeoneElseProcessedTheChamber() {
    cache.put(CHAMBER, cachedAt(5));
    assertNull(cache.reuse(CHAMBER, 6), "moved on elsewhere");
    assertNull(cache.reuse(CHAMBER, 4), "older than the cache (state rewritten)");
    assertEquals(0, cache.hits());
    assertEquals(2, cache.misses());
  }

  @Test
  void aNewerPutReplacesTheEntry() {
    cache.put(CHAMBER, cachedAt(5));
    Cached newer = cachedAt(6);
    cache.put(CHAMBER, newer);
    assertNull(cache.reuse(CHAMBER, 5));
    assertSame(newer, cache.reuse(CHAMBER, 6));
    assertEquals(1, cache.hits());
    assertEquals(1, cache.misses());
  }

  @Test
  void invalidateForgetsOnlyThatChamber() {
    cache.put(CHAMBER, cachedAt(5));
    Cached neighbour = cachedAt(9);
    cache.put(NEIGHBOUR, neighbour);
    cache.invalidate(CHAMBER);
    assertNull(cache.reuse(CHAMBER, 5), "gone even at its revision");
    assertSame(neighbour, cache.reuse(NEIGHBOUR, 9));
    assertEquals(1, cache.hits());
    assertEquals(1, cache.misses());
  }

  @Test
  void aReleasedChamberStaysWarmUntilTooManyLeftAfterIt() {
    ChamberCache small = new ChamberCache(2);
    Cached first = cachedAt(1);
    small.put(CHAMBER, first);
    small.released(CHAMBER);
    assertSame(first, small.reuse(CHAMBER, 1), "back before anybody else: warm");
    small.released(CHAMBER);
    for (int i = 0; i < 2; i++) {
      ChamberKey other = ChamberKey.parse("tool009:" + i);
      small.put(other, cachedAt(1));
      small.released(other);
    }
    assertNull(small.reuse(CHAMBER, 1), "two chambers left after it: evicted");
    assertEquals(2, small.size());
  }

  @Test
  void chambersServedHereAreNeverEvicted() {
    ChamberCache none = new ChamberCache(0);
    Cached served = cachedAt(3);
    none.put(CHAMBER, served);
    none.put(NEIGHBOUR, cachedAt(4));
    none.released(NEIGHBOUR);
    assertSame(served, none.reuse(CHAMBER, 3));
    assertNull(none.reuse(NEIGHBOUR, 4));
  }
}
