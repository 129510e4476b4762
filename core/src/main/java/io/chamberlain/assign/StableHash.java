package io.chamberlain.assign;

import java.nio.charset.StandardCharsets;

/**
 * A 64-bit hash that is the same on every JVM, every run and every node (unlike
 * {@link String#hashCode()} mixing or {@code HashMap} order), so that any leader derives the same
 * tie-breaks and the same canonical homes from the same input.
 *
 * <p>FNV-1a over UTF-8 bytes, finished with the SplitMix64 mixer for good avalanche.
 */
public final class StableHash {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private StableHash() {
  }

  public static long of(String text) {
    return mix(fnv(FNV_OFFSET, text));
  }

  /** Hash of the pair, order-sensitive; {@code of("a","bc") != of("ab","c")}. */
  public static long of(String first, String second) {
    long h = fnv(FNV_OFFSET, first);
    h = (h ^ 0xff) * FNV_PRIME; // separator that cannot occur in UTF-8 text
    return mix(fnv(h, second));
  }

  /** Maps a hash to a double uniformly distributed in the open interval (0, 1). */
  public static double unitInterval(long hash) {
    return ((hash >>> 11) + 0.5) / (double) (1L << 53);
  }

  private static long fnv(long seed, String text) {
    long h = seed;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
