package io.chamberlain.ingest;

import java.util.List;

/**
 * Which completion events to remove so the completions stream keeps room for new ones — judged
 * events only, never one a lane has not acknowledged — and when to close the stream to new events
 * so that nothing un-judged is lost at its limit. Pure: the gateway's {@code CompletionsRoomKeeper}
 * reads the stream and the lanes, asks {@link #decide}, purges and sets the gate.
 *
 * <p>Why. The stream has limits retention (it keeps judged events too, for replay and the lag
 * views) and discard-new: at its size limit it refuses the publisher instead of deleting its oldest
 * events, which may not be judged yet. A fab's stream is normally full of judged events (its daily
 * traffic is several times the limit), so someone must remove them, oldest first, before the limit
 * is reached: this policy. Once the un-judged backlog itself fills the stream (defenders down for
 * long), nothing can go, and the collectors are refused — visibly — until defenders judge again.
 *
 * <p>The gate. nats-server before 2.10.5 lets a discard-new stream at its size limit delete its
 * oldest events after all: it admits an event when the stored bytes plus the event's payload and
 * headers fit, then counts its subject and record overhead too and, over the limit, deletes from the
 * front (fixed by nats-server commit bf8ac377f; seen here on 2.9.10 with events of mixed sizes). Its
 * message-count limit is exact. So when un-judged events alone hold the stream above
 * {@link #GATE_AT}, the policy closes it: at most {@link Decision#gateHeadroom()} more events
 * (half the room left, at the average event size; at least one), then every publish is refused
 * ("maximum messages exceeded") long before the byte limit is near. It opens again once the cut brings the stream
 * below {@link #HIGH_WATER}, or nothing un-judged holds it.
 *
 * <p>Protocol, one round (one gateway decides: the holder of lane 0; two deciding at once is safe,
 * each cut being safe on its own and a purge below the stream's first sequence removing nothing):
 * <ol>
 *   <li>read the stream: first and last sequence, messages, bytes, its limits ({@link StreamReading});
 *   <li>then read each lane ({@link LaneReading}): its consumer's ack floor and counts, and the
 *       lane's first stored event above that floor;
 *   <li>{@link #decide}: below {@link #HIGH_WATER} of the max bytes no cut; above it, free down to
 *       {@link #LOW_WATER} (how many events, estimated at the stream's average event size), but never
 *       past the lowest lane's {@linkplain LaneReading#judgedThrough judged-through} sequence, nor past
 *       the last sequence of step 1; close or open the gate on what is left;
 *   <li>purge the sequences below {@link Decision#purgeBefore()}, then close or open the gate.
 * </ol>
 *
 * <p>Why the stream is read first: every event stored after step 1 has a sequence above the last
 * sequence read there, and no rule below calls such an event judged. Read after the lanes, an event
 * arriving in between would count as judged by a lane that had nothing waiting when it was read.
 *
 * <p>Above {@link #HIGH_WATER} only because of un-judged events, the cut stops at the first of
 * them ({@link Decision#heldBy()} names the lane): the fill stays high and rises with the backlog —
 * what an operator alerts on — until the gate closes at {@link #GATE_AT}.
 */
public final class CompletionsRoom {

  /** Room is made once the stream holds this share of its max bytes. */
  public static final double HIGH_WATER = 0.80;
  /** … down to this share: a cut every (HIGH − LOW) × max bytes of traffic, not at every event. */
  public static final double LOW_WATER = 0.60;
  /** Un-judged events alone hold the stream above this share: closed to new events (see the class comment). */
  public static final double GATE_AT = 0.90;

  private CompletionsRoom() {
  }

  /**
   * The completions stream as read in step 1.
   *
   * @param firstSequence its first stored sequence (last + 1 when empty)
   * @param lastSequence its last sequence ever stored
   * @param messages events stored
   * @param bytes bytes stored
   * @param maxBytes its size limit; 0 or less: none
   * @param maxMessages its message-count limit, the gate: 0 or less when open
   */
  public record StreamReading(long firstSequence, long lastSequence, long messages, long bytes, long maxBytes,
      long maxMessages) {
    public StreamReading {
      if (firstSequence < 0 || lastSequence < firstSequence - 1 || messages < 0 || bytes < 0
          || messages > lastSequence - firstSequence + 1) {
        throw new IllegalArgumentException("inconsistent stream reading: first " + firstSequence + ", last "
            + lastSequence + ", " + messages + " messages, " + bytes + " bytes");
      }
    }

    /** With the gate open. */
    public StreamReading(long firstSequence, long lastSequence, long messages, long bytes, long maxBytes) {
      this(firstSequence, lastSequence, messages, bytes, maxBytes, 0);
    }

    /** Share of the size limit in use (0 without a limit). */
    public double fill() {
      return maxBytes <= 0 ? 0 : (double) bytes / maxBytes;
    }

    public boolean gateClosed() {
      return maxMessages > 0;
    }
  }

  /**
   * One lane as read in step 2, after the stream.
   *
   * @param consumerExists whether the lane's durable consumer exists (a lane nobody has read yet has none)
   * @param ackFloor its ack floor's stream sequence: every event of the lane at or below it is acknowledged
   * @param pending events of the lane not delivered yet
   * @param ackPending events delivered and not acknowledged
   * @param firstEventAboveFloor the stream sequence of the lane's first stored event above the ack
   *     floor (above 0 without a consumer), {@link #NONE} if there is none
   */
  public record LaneReading(boolean consumerExists, long ackFloor, long pending, long ackPending,
      long firstEventAboveFloor) {

    /** No stored event of the lane above its ack floor. */
    public static final long NONE = 0;

    public LaneReading {
      if (ackFloor < 0 || pending < 0 || ackPending < 0
          || (firstEventAboveFloor != NONE && firstEventAboveFloor <= ackFloor)
          || (!consumerExists && (ackFloor != 0 || pending != 0 || ackPending != 0))) {
        throw new IllegalArgumentException("inconsistent lane reading: " + this);
      }
    }

    public static LaneReading consumer(long ackFloor, long pending, long ackPending, long firstEventAboveFloor) {
      return new LaneReading(true, ackFloor, pending, ackPending, firstEventAboveFloor);
    }

    /** A lane without a consumer: none of its events is judged; {@code firstEvent} its first stored one or {@link #NONE}. */
    public static LaneReading withoutConsumer(long firstEvent) {
      return new LaneReading(false, 0, 0, 0, firstEvent);
    }

    /**
     * The highest sequence at or below which every event of this lane is judged, given the stream's
     * last sequence as read before this lane. Two readings of the same fact, the lower one counts
     * (both must agree before an idle lane lets a cut pass its ack floor):
     * <ul>
     *   <li>by its stored events: nats-server keeps a lane's ack floor below its first event not
     *       acknowledged with none of its acknowledged events in between (at its last delivered one
     *       when all are acknowledged; consumer.go, processAckMsg), so the lane's first stored event
     *       above the floor is not judged (not delivered, or not acknowledged) and every event of the
     *       lane below it is; none above the floor: all of the lane's events up to {@code lastSequence} are;
     *   <li>by its consumer's counts: nothing pending and nothing un-acknowledged — all up to
     *       {@code lastSequence}; otherwise up to the ack floor.
     * </ul>
     * Never above {@code lastSequence}: an event stored after the stream was read is not called judged.
     */
    public long judgedThrough(long lastSequence) {
      long byEvents = firstEventAboveFloor == NONE ? lastSequence : firstEventAboveFloor - 1;
      long byCounts = !consumerExists || (pending == 0 && ackPending == 0) ? lastSequence : ackFloor;
      return Math.min(lastSequence, Math.min(byEvents, byCounts));
    }
  }

  /** What a round does to the gate. */
  public enum GateChange {
    /** Leave it as it is. */
    KEEP,
    /** Close it: {@link Decision#gateHeadroom()} more events, then none. */
    CLOSE,
    /** Open it: no message-count limit. */
    OPEN
  }

  /**
   * What to do this round.
   *
   * @param purgeBefore remove the events with lower sequences (JetStream's purge keeps those at or
   *     above it); {@link #NOTHING} to remove none
   * @param heldBy the lane whose un-judged events stopped the cut short of the low-water mark, -1 if none did
   * @param fill the stream's share of its max bytes as read
   * @param gate what to do to the gate, after the purge
   * @param gateHeadroom with {@link GateChange#CLOSE}: how many more events the stream may take (at least 1)
   */
  public record Decision(long purgeBefore, int heldBy, double fill, GateChange gate, long gateHeadroom) {

    public static final long NOTHING = 0;

    public boolean purges() {
      return purgeBefore != NOTHING;
    }

    /** Room was wanted and a lane's un-judged events kept some or all of it from being made. */
    public boolean heldBack() {
      return heldBy >= 0;
    }
  }

  /** The cut and the gate for this round (see the class comment); {@code lanes} in lane order, read after {@code stream}. */
  public static Decision decide(StreamReading stream, List<LaneReading> lanes) {
    if (lanes.isEmpty()) {
      throw new IllegalArgumentException("no lanes");
    }
    double fill = stream.fill();
    if (stream.maxBytes() <= 0 || stream.messages() == 0 || fill < HIGH_WATER) {
      return new Decision(Decision.NOTHING, -1, fill, stream.gateClosed() ? GateChange.OPEN : GateChange.KEEP, 0);
    }
    double averageBytes = (double) stream.bytes() / stream.messages();
    long bytesToFree = stream.bytes() - (long) Math.floor(LOW_WATER * stream.maxBytes());
    long wanted = stream.firstSequence() + (long) Math.floor(bytesToFree / averageBytes);
    int lowestLane = lowestLane(stream, lanes);
    long safe = lanes.get(lowestLane).judgedThrough(stream.lastSequence()) + 1;
    long cut = Math.min(wanted, safe);
    int heldBy = safe < wanted ? lowestLane : -1;
    long purgeBefore = cut > stream.firstSequence() ? cut : Decision.NOTHING;
    long removed = purgeBefore == Decision.NOTHING ? 0 : Math.min(stream.messages(), cut - stream.firstSequence());
    double bytesLeft = stream.bytes() - removed * averageBytes;

    if (!stream.gateClosed() && heldBy >= 0 && bytesLeft >= GATE_AT * stream.maxBytes()) {
      // At least one more: the gate is set at the count read just before, and an event stored meanwhile
      // must not be over it (the server would delete the oldest event to meet the new limit).
      long headroom = Math.max(1, (long) Math.floor((stream.maxBytes() - bytesLeft) / (2 * averageBytes)));
      return new Decision(purgeBefore, heldBy, fill, GateChange.CLOSE, headroom);
    }
    boolean open = stream.gateClosed() && (heldBy < 0 || bytesLeft < HIGH_WATER * stream.maxBytes());
    return new Decision(purgeBefore, heldBy, fill, open ? GateChange.OPEN : GateChange.KEEP, 0);
  }

  /** The lane with the lowest judged-through sequence (the first of equals). */
  private static int lowestLane(StreamReading stream, List<LaneReading> lanes) {
    int lowest = 0;
    for (int lane = 1; lane < lanes.size(); lane++) {
      if (lanes.get(lane).judgedThrough(stream.lastSequence()) < lanes.get(lowest).judgedThrough(stream.lastSequence())) {
        lowest = lane;
      }
    }
    return lowest;
  }
}
