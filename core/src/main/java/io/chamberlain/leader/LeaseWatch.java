package io.chamberlain.leader;

import java.util.HashMap;
import java.util.Map;

/**
 * A candidate's judgement of the leader's lease, from what it reads of it over time. The lease is
 * a key the leader rewrites (renews) every few hundred milliseconds; each write gives it a new
 * revision. The candidate compares revisions, never clocks of other nodes: a lease whose revision
 * has not changed for {@code expiryMillis} of this candidate's own time is {@link Verdict#EXPIRED}
 * (its holder is frozen, cut off or dead). A lease that does not exist or was released is
 * {@link Verdict#FREE} at once; one held by a node the cluster no longer lists is free once it also
 * went unrenewed for {@code droppedHolderMillis} (a few renewal intervals, far below the expiry).
 *
 * <p>Why not at once: the cluster dropping a node says that node is gone <em>from here</em> — a
 * crash, or a network partition between nodes. A crashed holder stops renewing, and its lease is
 * free a moment later. A holder on the other side of a partition renews on through NATS, which both
 * sides reach; were its lease free at once, this side would take it, the holder would lose it at its
 * next renewal, the other side would find this side's node not a member and take it back, and so on:
 * two leaders alternating every renewal, each declaring the other side's defenders lost (issue 13).
 * NATS, which both sides see, decides: a lease renewed is held, whoever the cluster lists.
 *
 * <p>An expired lease says its holder stopped renewing it — through NATS. Whether its node stopped
 * running too (frozen, cut off from the cluster: the defenders on it are lost with it) or runs on and
 * only could not reach NATS (a NATS restart, its own NATS connection) the candidate tells from the
 * defender heartbeats it hears over the cluster: {@link #isSilent}.
 *
 * <p>{@code expiryMillis} must exceed the longest pause to tolerate plus one renewal interval and
 * one read interval, so a leader in a stop-the-world pause keeps its lease.
 *
 * <p>Pure: time is passed in. Single-threaded.
 */
public final class LeaseWatch {

  /** What the lease is, as this candidate sees it now. */
  public enum Verdict {
    /** Renewed recently by a live holder: leave it. */
    HELD,
    /** Nobody holds it (never taken, released, or the holder's node is gone): take it. */
    FREE,
    /** Its holder stopped renewing it for longer than the expiry: take it. */
    EXPIRED
  }

  /** Nodes heard from more often than this are forgotten when idle longer than the expiry. */
  private static final int MAX_NODES = 1_024;

  private final long expiryMillis;
  private final long droppedHolderMillis;
  private long revision = -1;
  private long changedAtMillis;
  private final Map<String, Long> heardAtMillis = new HashMap<>();

  /**
   * @param expiryMillis a lease unrenewed this long has expired, whoever holds it
   * @param droppedHolderMillis a lease of a holder the cluster dropped is free once unrenewed this
   *     long: more than the holder's renewal interval plus this candidate's read interval, so a
   *     holder that renews is never taken for gone
   */
  public LeaseWatch(long expiryMillis, long droppedHolderMillis) {
    if (expiryMillis <= 0) {
      throw new IllegalArgumentException("lease expiry must be > 0 ms, was " + expiryMillis);
    }
    if (droppedHolderMillis <= 0 || droppedHolderMillis > expiryMillis) {
      throw new IllegalArgumentException("the quiet before a dropped holder's lease is free must be > 0 ms and at most"
          + " the expiry (" + expiryMillis + " ms), was " + droppedHolderMillis);
    }
    this.expiryMillis = expiryMillis;
    this.droppedHolderMillis = droppedHolderMillis;
  }

  /**
   * @param revision the lease's revision now (0: there is none)
   * @param released its holder let it go
   * @param holderIsMember the holder's node is still a member of the cluster
   */
  public Verdict observe(long nowMillis, long revision, boolean released, boolean holderIsMember) {
    if (revision != this.revision) {
      this.revision = revision;
      changedAtMillis = nowMillis;
    }
    if (revision == 0 || released) {
      return Verdict.FREE;
    }
    long unrenewed = nowMillis - changedAtMillis;
    if (!holderIsMember) {
      return unrenewed >= droppedHolderMillis ? Verdict.FREE : Verdict.HELD;
    }
    return unrenewed >= expiryMillis ? Verdict.EXPIRED : Verdict.HELD;
  }

  /** A defender on {@code node} heartbeated over the cluster. */
  public void heardFrom(String node, long nowMillis) {
    if (heardAtMillis.size() >= MAX_NODES) {
      heardAtMillis.values().removeIf(at -> nowMillis - at > expiryMillis);
    }
    heardAtMillis.put(node, nowMillis);
  }

  /**
   * Whether {@code node}, the holder of an expired lease, went silent on the cluster too: no defender
   * on it heartbeated for half the expiry (a running node heartbeats every few hundred ms; a frozen
   * one stopped when it stopped renewing). A node never heard from counts as silent.
   */
  public boolean isSilent(String node, long nowMillis) {
    Long heard = heardAtMillis.get(node);
    return heard == null || nowMillis - heard >= expiryMillis / 2;
  }

  /**
   * Starts counting anew: after this candidate could not read (NATS away) or did not run (paused),
   * the unchanged revision says nothing about the holder.
   */
  public void reset(long nowMillis) {
    changedAtMillis = nowMillis;
  }
}
