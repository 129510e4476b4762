package io.chamberlain.gateway;

import io.chamberlain.wire.Subjects;

/**
 * Lane {@code index} of the {@code count} lanes the completions are split into: its durable consumer,
 * the subject it filters, and the cluster-wide lock whose holder — one gateway — reads it. A chamber's
 * events are all in one lane (the server maps them by a hash of tool and chamber), so one holder per
 * lane keeps per-chamber order. One lane is the whole stream, under the names of a cluster without
 * lanes.
 */
record IngestLane(int index, int count) {

  /** The lock of the only lane when there is one. */
  static final String SINGLE_LANE_LOCK = "chamberlain.ingest";
  /** The lock of lane {@code %d} of several. */
  static final String LANE_LOCK_FORMAT = "chamberlain.ingest.lane.%d";

  IngestLane {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("no lane " + index + " of " + count);
    }
  }

  String consumer() {
    return Subjects.laneConsumer(index, count);
  }

  String filter() {
    return Subjects.laneFilter(index, count);
  }

  String lockName() {
    return count == 1 ? SINGLE_LANE_LOCK : String.format(LANE_LOCK_FORMAT, index);
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
