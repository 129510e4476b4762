package io.chamberlain.assign;

import java.util.Collection;

/**
 * Weighted rendezvous (highest-random-weight) hashing: the canonical home of a chamber among a
 * set of defenders. Each (chamber, defender) pair gets the score {@code -capacity / ln(u)} with
 * {@code u} a stable hash in (0,1); the highest score wins. A defender with twice the capacity is
 * home to twice as many chambers in expectation, and adding or removing a defender only changes
 * the homes of the chambers it gains or loses.
 *
 * <p>Pure and deterministic: ties are broken by defender id, never by collection order.
 */
public final class WeightedRendezvous {

  /** A candidate home: its stable id and capacity factor (> 0). */
  public interface Candidate {
    String id();

    double capacity();
  }

  private WeightedRendezvous() {
  }

  public static double score(String chamberKey, String defenderId, double capacity) {
    double u = StableHash.unitInterval(StableHash.of(chamberKey, defenderId));
    return -capacity / Math.log(u);
  }

  /** @return the id of the chamber's home among {@code candidates}, or {@code null} if there are none. */
  public static <C extends Candidate> String home(String chamberKey, Collection<C> candidates) {
    String best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (C candidate : candidates) {
      double s = score(chamberKey, candidate.id(), candidate.capacity());
      if (s > bestScore || (s == bestScore && best != null && candidate.id().compareTo(best) < 0)) {
        best = candidate.id();
        bestScore = s;
      }
    }
    return best;
  }
}
