package io.chamberlain.wire;

import io.vertx.core.json.JsonObject;

/**
 * The newest assignment a node holds, kept current from what arrives on
 * {@link Addresses#ASSIGNMENT} — deltas in epoch order, and whole snapshots (the reply of
 * {@link Addresses#ASSIGNMENT_CURRENT}, or the leader republishing for a node it saw behind).
 * Epochs only go forward: anything not newer than what is held is stale. A delta whose base is not
 * the held epoch (a broadcast was missed, e.g. the node joined in between) is a gap: the caller
 * asks for the whole assignment and offers it here. Pure and single-threaded.
 */
public final class AssignmentFeed {

  /** What an offered assignment did. */
  public enum Outcome {
    /** Newer: it is what this node holds now. */
    APPLIED,
    /** Not newer than what is held: ignored. */
    STALE,
    /** A delta on a base this node does not hold: ask for the whole assignment. */
    GAP
  }

  private AssignmentSnapshot held = AssignmentSnapshot.EMPTY;

  public AssignmentSnapshot held() {
    return held;
  }

  /** A broadcast from {@link Addresses#ASSIGNMENT}: a delta or a whole snapshot. */
  public Outcome offer(JsonObject broadcast) {
    if (!AssignmentDelta.isDelta(broadcast)) {
      return offer(AssignmentSnapshot.fromJson(broadcast));
    }
    AssignmentDelta delta = AssignmentDelta.fromJson(broadcast);
    if (delta.epoch() <= held.epoch()) {
      return Outcome.STALE;
    }
    if (delta.baseEpoch() != held.epoch()) {
      return Outcome.GAP;
    }
    held = delta.applyTo(held);
    return Outcome.APPLIED;
  }

  /** A whole snapshot. */
  public Outcome offer(AssignmentSnapshot snapshot) {
    if (snapshot.epoch() <= held.epoch()) {
      return Outcome.STALE;
    }
    held = snapshot;
    return Outcome.APPLIED;
  }
}
