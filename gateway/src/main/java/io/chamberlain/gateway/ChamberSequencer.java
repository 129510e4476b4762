package io.chamberlain.gateway;

import io.chamberlain.domain.ChamberKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per-chamber ordering of the ingestion lane: events of one chamber are dispatched in stream order,
 * one at a time, while chambers proceed independently.
 *
 * <p>The subtle part is redelivery. When an event cannot be delivered now it is nak'ed and comes
 * back later, but later events of the same chamber keep arriving meanwhile. So the lane remembers
 * the stream sequences it handed back ("deferred"): any event that arrives behind a deferred one is
 * deferred too, and a deferred event is accepted again only when no earlier one of its chamber is
 * still outstanding. Order holds however JetStream interleaves the redeliveries.
 *
 * <p>Single-threaded (the ingestion verticle's event loop). Pure: no NATS or Vert.x types.
 *
 * @param <T> what the caller carries with each event (its JetStream message)
 */
final class ChamberSequencer<T> {

  /** An event of {@code chamber} at position {@code streamSequence} of the stream. */
  record Item<T>(ChamberKey chamber, long streamSequence, T payload) {
  }

  /** What became of an arriving event. */
  enum Admission {
    /** Waiting its turn; call {@link #next}. */
    QUEUED,
    /** An earlier event of its chamber is outstanding: hand this one back (nak) too. */
    DEFERRED,
    /** Already being processed (delivered again while in flight): the caller keeps the one copy in flight ({@link #inFlight(ChamberKey)}). */
    ALREADY_IN_FLIGHT
  }

  private static final class Lane<T> {
    final TreeMap<Long, Item<T>> queued = new TreeMap<>();
    final TreeSet<Long> deferred = new TreeSet<>();
    Item<T> inFlight;

    boolean idle() {
      return inFlight == null && queued.isEmpty() && deferred.isEmpty();
    }
  }

  private final Map<ChamberKey, Lane<T>> lanes = new HashMap<>();

  Admission admit(Item<T> item) {
    Lane<T> lane = lanes.computeIfAbsent(item.chamber(), key -> new Lane<>());
    long sequence = item.streamSequence();
    lane.deferred.remove(sequence);
    if (!lane.deferred.isEmpty() && lane.deferred.first() < sequence) {
      lane.deferred.add(sequence);
      return Admission.DEFERRED;
    }
    if (lane.inFlight != null && lane.inFlight.streamSequence() == sequence) {
      return Admission.ALREADY_IN_FLIGHT;
    }
    lane.queued.put(sequence, item);
    return Admission.QUEUED;
  }

  /** @return the chamber's next event to dispatch, if the chamber is idle and one is queued */
  Optional<Item<T>> next(ChamberKey chamber) {
    Lane<T> lane = lanes.get(chamber);
    if (lane == null || lane.inFlight != null || lane.queued.isEmpty()) {
      return Optional.empty();
    }
    if (!lane.deferred.isEmpty() && lane.deferred.first() < lane.queued.firstKey()) {
      return Optional.empty();
    }
    lane.inFlight = lane.queued.pollFirstEntry().getValue();
    return Optional.of(lane.inFlight);
  }

  /** The chamber's event in flight is finished for good (acked or dead-lettered). */
  void completed(ChamberKey chamber) {
    Lane<T> lane = lanes.get(chamber);
    if (lane == null || lane.inFlight == null) {
      throw new IllegalStateException("chamber " + chamber + " has no event in flight");
    }
    lane.inFlight = null;
    forgetIfIdle(chamber, lane);
  }

  /**
   * The chamber's event in flight goes back to the stream for redelivery; so must every event of
   * the chamber queued behind it.
   *
   * @return the queued events the caller must hand back as well, in stream order
   */
  List<Item<T>> deferInFlight(ChamberKey chamber) {
    Lane<T> lane = lanes.get(chamber);
    if (lane == null || lane.inFlight == null) {
      throw new IllegalStateException("chamber " + chamber + " has no event in flight");
    }
    lane.deferred.add(lane.inFlight.streamSequence());
    lane.inFlight = null;
    List<Item<T>> followers = new ArrayList<>(lane.queued.values());
    lane.queued.clear();
    followers.forEach(item -> lane.deferred.add(item.streamSequence()));
    return followers;
  }

  /** Every event held (queued or in flight) — they must be kept alive against the ack timeout. */
  List<Item<T>> held() {
    List<Item<T>> held = new ArrayList<>();
    for (Lane<T> lane : lanes.values()) {
      if (lane.inFlight != null) {
        held.add(lane.inFlight);
      }
      held.addAll(lane.queued.values());
    }
    return held;
  }

  /** Every event in flight (at most one per chamber). */
  List<Item<T>> inFlight() {
    List<Item<T>> inFlight = new ArrayList<>();
    for (Lane<T> lane : lanes.values()) {
      if (lane.inFlight != null) {
        inFlight.add(lane.inFlight);
      }
    }
    return inFlight;
  }

  /** The chamber's event in flight, if any. */
  Optional<Item<T>> inFlight(ChamberKey chamber) {
    Lane<T> lane = lanes.get(chamber);
    return lane == null ? Optional.empty() : Optional.ofNullable(lane.inFlight);
  }

  /** Number of chambers with an event in flight. */
  int inFlightCount() {
    int count = 0;
    for (Lane<T> lane : lanes.values()) {
      count += lane.inFlight == null ? 0 : 1;
    }
    return count;
  }

  private void forgetIfIdle(ChamberKey chamber, Lane<T> lane) {
    if (lane.idle()) {
      lanes.remove(chamber);
    }
  }
}
