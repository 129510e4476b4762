package io.chamberlain.gateway;

import io.chamberlain.ingest.CompletionsRoom;
import io.chamberlain.ingest.CompletionsRoom.Decision;
import io.chamberlain.ingest.CompletionsRoom.GateChange;
import io.chamberlain.ingest.CompletionsRoom.LaneReading;
import io.chamberlain.ingest.CompletionsRoom.StreamReading;
import io.chamberlain.wire.Subjects;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PurgeOptions;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Keeps room in the completions stream by removing judged events, and closes it to new events before
 * un-judged ones could be lost at its limit ({@link CompletionsRoom} decides both). Every
 * {@link #ROUND_MILLIS} every gateway reads the stream and exports its fill
 * ({@code chamberlain_completions_fill_ratio}); the gateway that holds lane 0, when the stream is
 * above {@link CompletionsRoom#HIGH_WATER} or closed, then reads every lane, asks the policy, purges
 * the events below its cut ({@code PurgeOptions.sequence}: keeps those at or above), counts them
 * ({@code chamberlain_completions_room_purged_total}) and closes or opens the gate. The stream is
 * read before the lanes, so an event stored during the round is never counted as judged (see
 * {@link CompletionsRoom}).
 *
 * <p>The gate is the stream's {@code max_msgs} (discard-new, exact on nats-server 2.9, unlike its
 * {@code max_bytes}: see {@link CompletionsRoom}). Closing sets it to the stream's message count read
 * just before, plus the policy's headroom (at least one) — never below the count, which would make the
 * server delete the oldest events to meet it; opening removes it. Publishers are refused with "maximum messages
 * exceeded" while it is closed. {@code JetStreamSetup} keeps it when a gateway starts.
 *
 * <p>Who decides: the holder of lane 0, normally one gateway. More than one (a lane changing hands,
 * a split cluster) is safe: each round's cut is bounded by what the lanes had acknowledged when it
 * read them, acknowledgements are never taken back (a lane's new reader resets its consumer at the
 * old ack floor, {@link CompletionsConsumer}, never below), a purge below the stream's first
 * sequence removes nothing, and the gate is only ever set at or above the stored count.
 *
 * <p>Purges and un-acknowledged events on nats-server 2.9.10: there a partial purge makes every
 * consumer <em>without a filter subject</em> forget its un-acknowledged deliveries — never delivered
 * again, its ack floor jumping over them (fixed in 2.9.15, nats-server commit 6c9a9fb). Consumers with
 * a filter are left alone, and every lane's has one (also with one lane, where it equals the stream's
 * subject), so events in flight above the cut come again as they should ({@code
 * CompletionsRoomKeeperTest} pins it). A consumer of one's own on this stream needs a filter too.
 *
 * <p>NATS calls block: they run on a worker thread, one round at a time.
 */
final class CompletionsRoomKeeper extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(CompletionsRoomKeeper.class.getName());
  /**
   * Twice a second: between two rounds the stream must not fill from the high-water mark to its limit
   * (20 % of 1 GiB in half a second is far beyond a fab's rate). Below the high-water mark a round is
   * one stream read.
   */
  static final long ROUND_MILLIS = 500;
  static final String PURGED = "chamberlain.completions.room.purged";
  static final String FILL = "chamberlain.completions.fill";
  private static final int NO_MESSAGE_FOUND = 10037;

  private final Connection nats;
  private final int laneCount;
  private final BooleanSupplier decides;
  private final Counter purged;
  private final AtomicReference<Double> fill = new AtomicReference<>(Double.NaN);
  /** On this verticle's context: a round is out; the lane that held the last cut back (-1: none); the last round failed. */
  private boolean inRound;
  private int heldBy = -1;
  private boolean failing;

  /**
   * One round's outcome: {@code decision} null when this gateway only read the fill; {@code gateSetTo}
   * the stream's new message limit if the gate changed (-1: opened), else 0.
   */
  private record Round(StreamReading stream, Decision decision, long removed, long gateSetTo) {
  }

  /**
   * @param decides whether this gateway decides now (it holds lane 0); asked at every round
   */
  CompletionsRoomKeeper(Connection nats, int laneCount, BooleanSupplier decides, MeterRegistry registry) {
    this.nats = nats;
    this.laneCount = laneCount;
    this.decides = decides;
    this.purged = Counter.builder(PURGED)
        .description("judged events removed from the completions stream to make room (un-judged ones never are)")
        .register(registry);
    Gauge.builder(FILL, fill, AtomicReference::get).baseUnit("ratio")
        .description("the completions stream's bytes over its max bytes: judged events are removed above "
            + CompletionsRoom.HIGH_WATER + "; higher means un-judged events fill it, and at " + CompletionsRoom.GATE_AT
            + " publishers are refused")
        .register(registry);
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(ROUND_MILLIS, id -> round());
    return Future.succeededFuture();
  }

  private void round() {
    if (inRound) {
      return; // a slow NATS: one round at a time
    }
    inRound = true;
    boolean deciding = decides.getAsBoolean();
    vertx.executeBlocking(() -> keepRoom(deciding), false).onComplete(done -> {
      inRound = false;
      if (done.failed()) {
        LOG.log(failing ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
            "completions: could not keep room this round: " + done.cause());
        failing = true;
        return;
      }
      failing = false;
      report(done.result());
    });
  }

  /** One round, on a worker thread: the stream first, then (deciding, above the high-water mark) the lanes. */
  private Round keepRoom(boolean deciding) throws IOException, JetStreamApiException {
    JetStreamManagement jsm = nats.jetStreamManagement();
    StreamReading stream = readStream(jsm);
    fill.set(stream.fill());
    if (!deciding || (stream.fill() < CompletionsRoom.HIGH_WATER && !stream.gateClosed())) {
      return new Round(stream, null, 0, 0);
    }
    List<LaneReading> lanes = new ArrayList<>(laneCount);
    for (int lane = 0; lane < laneCount; lane++) {
      lanes.add(readLane(jsm, lane));
    }
    Decision decision = CompletionsRoom.decide(stream, lanes);
    long removed = 0;
    if (decision.purges()) {
      removed = jsm.purgeStream(Subjects.COMPLETIONS_STREAM,
          PurgeOptions.builder().sequence(decision.purgeBefore()).build()).getPurged();
      purged.increment(removed);
    }
    return new Round(stream, decision, removed, setGate(jsm, decision));
  }

  /** Closes or opens the gate as decided, on the stream as it is now; returns its new limit (-1: open), 0 if unchanged. */
  private static long setGate(JetStreamManagement jsm, Decision decision) throws IOException, JetStreamApiException {
    if (decision.gate() == GateChange.KEEP) {
      return 0;
    }
    StreamInfo now = jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM);
    StreamConfiguration config = now.getConfiguration();
    boolean closed = config.getMaxMsgs() > 0;
    if (decision.gate() == GateChange.CLOSE && !closed) {
      long limit = now.getStreamState().getMsgCount() + decision.gateHeadroom();
      jsm.updateStream(StreamConfiguration.builder(config).maxMessages(limit).build());
      return limit;
    }
    if (decision.gate() == GateChange.OPEN && closed) {
      jsm.updateStream(StreamConfiguration.builder(config).maxMessages(-1).build());
      return -1;
    }
    return 0;
  }

  private static StreamReading readStream(JetStreamManagement jsm) throws IOException, JetStreamApiException {
    StreamInfo info = jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM);
    return new StreamReading(info.getStreamState().getFirstSequence(), info.getStreamState().getLastSequence(),
        info.getStreamState().getMsgCount(), info.getStreamState().getByteCount(), info.getConfiguration().getMaxBytes(),
        info.getConfiguration().getMaxMsgs());
  }

  private LaneReading readLane(JetStreamManagement jsm, int lane) throws IOException, JetStreamApiException {
    String filter = Subjects.laneFilter(lane, laneCount);
    Optional<ConsumerInfo> found = LaneConsumers.find(jsm, lane, laneCount);
    if (found.isEmpty()) {
      return LaneReading.withoutConsumer(firstEvent(jsm, 1, filter));
    }
    ConsumerInfo consumer = found.get();
    long floor = consumer.getAckFloor().getStreamSequence();
    return LaneReading.consumer(floor, consumer.getNumPending(), consumer.getNumAckPending(),
        firstEvent(jsm, floor + 1, filter));
  }

  /** The sequence of the first stored event at or after {@code from} on {@code filter}, or {@link LaneReading#NONE}. */
  private static long firstEvent(JetStreamManagement jsm, long from, String filter)
      throws IOException, JetStreamApiException {
    try {
      return jsm.getNextMessage(Subjects.COMPLETIONS_STREAM, from, filter).getSeq();
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
        return LaneReading.NONE;
      }
      throw e;
    }
  }

  /** Logs purges, and a lane holding the room back when it starts and stops doing so (on this verticle's context). */
  private void report(Round round) {
    Decision decision = round.decision();
    if (decision == null) {
      if (heldBy >= 0 && round.stream().fill() < CompletionsRoom.HIGH_WATER) {
        LOG.log(System.Logger.Level.INFO, "completions: back below " + percent(CompletionsRoom.HIGH_WATER) + " full");
        heldBy = -1;
      }
      return;
    }
    if (round.removed() > 0) {
      LOG.log(System.Logger.Level.INFO, "completions: removed " + round.removed() + " judged events below stream sequence ["
          + decision.purgeBefore() + "] to make room (the stream was " + percent(decision.fill()) + " full)");
    }
    if (round.gateSetTo() > 0) {
      LOG.log(System.Logger.Level.WARNING, "completions: closed to new events after " + decision.gateHeadroom()
          + " more (max_msgs " + round.gateSetTo() + "): un-judged events fill " + percent(decision.fill())
          + " of the stream; publishers are refused (maximum messages exceeded) until the defenders judge again");
    } else if (round.gateSetTo() < 0) {
      LOG.log(System.Logger.Level.INFO, "completions: open to new events again");
    }
    if (decision.heldBy() != heldBy) {
      if (decision.heldBack()) {
        LOG.log(System.Logger.Level.WARNING, "completions: the stream is " + percent(decision.fill()) + " full and lane ["
            + decision.heldBy() + "]'s un-judged events keep everything from stream sequence [" + (decision.purges()
            ? decision.purgeBefore() : round.stream().firstSequence()) + "]: only judged events are removed; "
            + "at " + percent(CompletionsRoom.GATE_AT) + " full it is closed to publishers until the defenders judge again");
      } else {
        LOG.log(System.Logger.Level.INFO, "completions: lane [" + heldBy + "] no longer holds the room back");
      }
      heldBy = decision.heldBy();
    }
  }

  private static String percent(double share) {
    return Math.round(share * 100) + " %";
  }
}
