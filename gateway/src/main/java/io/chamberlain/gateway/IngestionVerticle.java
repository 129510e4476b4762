package io.chamberlain.gateway;

import io.chamberlain.config.GatewayConfig.IngestSettings;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.gateway.ChamberSequencer.Item;
import io.chamberlain.nats.StorageLimitException;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.DefenderMessages;
import io.chamberlain.wire.AssignmentFeed;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.CompletionCodec;
import io.chamberlain.wire.Heartbeat;
import io.chamberlain.wire.ChamberReplies;
import io.chamberlain.wire.Subjects;
import io.chamberlain.wire.VerdictReceipt;
import io.chamberlain.nats.NatsLease;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ingestion lane ({@link IngestLane}) on the gateway that holds it: consumes the lane's durable
 * pull consumer and hands each event to its chamber's owner over the clustered event bus
 * (request/reply). Deployed by {@link IngestionLanes} once it holds the lane's lock; released when
 * this verticle has stopped.
 *
 * <p>Delivery contract, per event:
 * <ul>
 *   <li>sent to the defender that serves the chamber: its home, or its deputy while the home
 *       restarts ({@link AssignmentSnapshot#servedBy});
 *   <li>acked only after the owner replied that the verdict is published;
 *   <li>no route yet — unknown chamber, no owner, the owner does not serve the chamber yet (no
 *       handler, not the owner, state still settling after a handover) or the owner left the
 *       assignment — → held in flight and routed again ({@link Reroutes}): at once on a new
 *       assignment or a heartbeat of the awaited owner, else after a short back-off;
 *   <li>no reply in time (owner frozen or dead) → nak with a delay that doubles per delivery
 *       (capped), so JetStream redelivers it later;
 *   <li>the owner's defense process failed → retried the same way, dead-lettered after
 *       {@code maxProcessingAttempts};
 *   <li>the stored trace is missing → retried the same way, dead-lettered ({@code trace-missing})
 *       after {@code maxProcessingAttempts}; corrupt → dead-lettered at once ({@code trace-corrupt});
 *   <li>malformed (larger than {@code ingest.maxEventBytes}, subject shape, JSON, ids, fields,
 *       {@code completedAt} outside the window of {@code ingest.maxClockSkewMillis} and
 *       {@code ingest.maxEventAgeSeconds}) → dead-lettered at once and terminated.
 * </ul>
 * A request outstanding far too long while its owner's heartbeat is late is evidence the owner
 * stopped running: it is reported to the leader ({@link SuspicionDetector}), which decides.
 * One gateway holds a lane at a time; the lanes are spread over the gateways ({@link IngestionLanes}).
 * Per chamber, events go out in stream order, one at a time ({@link ChamberSequencer}); held events
 * (queued, in flight, waiting for a route) are kept alive with in-progress acks so a slow chamber
 * does not trigger redelivery. If the gateway dies, the gateway that takes the lane over gets
 * whatever it held again first ({@link CompletionsConsumer}).
 */
final class IngestionVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(IngestionVerticle.class.getName());
  /** Longest back-off between routing tries of an event nothing woke up (an assignment or heartbeat wakes it at once). */
  private static final long MAX_REROUTE_MILLIS = 1_000;

  private final Connection nats;
  private final IngestSettings settings;
  private final GatewayMetrics metrics;
  private final GatewayActivity activity;
  private final ChamberSequencer<Delivery> sequencer = new ChamberSequencer<>();
  private final RedeliveryPlan redelivery;
  private final CompletionCodec.Limits limits;
  /**
   * The request outstanding for each event sent to an owner. A reply counts only if it answers the
   * event's current request: a request given up because its owner left ({@link
   * #abandonRequestsToDepartedOwners}) may still be answered late, and is ignored then.
   */
  private final Map<Item<Delivery>, Request> requests = new HashMap<>();
  private long requestsSent;
  private final Reroutes<Item<Delivery>> reroutes;
  private ChamberAnnouncer announcer;
  private final AssignmentFeed assignments = new AssignmentFeed();
  private final SuspicionDetector suspicions;
  private boolean stopping;
  private DeadLetters deadLetters;
  private CompletionsConsumer completions;
  private final IngestLane lane;
  private final LaneHold hold;
  private long leaseRevision;
  private boolean renewing;
  private boolean fencedOut;

  /**
   * What makes this gateway the lane's reader: the lane's cluster-wide lock and its lease in NATS
   * ({@link IngestionLanes}), taken at {@code revision}; both let go when this verticle has stopped.
   * {@code fencedOut} is called once if a renewal finds the lease taken by another gateway.
   */
  record LaneHold(Lock lock, NatsLease lease, String holder, long revision, Runnable fencedOut) {
  }

  /**
   * A JetStream message with its decoded event. The message is the copy to acknowledge: when the
   * lane's consumer is reset ({@link CompletionsConsumer}) an event in flight is delivered again by
   * the new consumer, and only that copy's acknowledgement counts.
   */
  private static final class Delivery {
    private Message message;
    private final CompletionEvent event;

    Delivery(Message message, CompletionEvent event) {
      this.message = message;
      this.event = event;
    }

    Message message() {
      return message;
    }

    CompletionEvent event() {
      return event;
    }

    void deliveredAgain(Message copy) {
      message = copy;
    }
  }

  /** One request of an event to the owner it was routed to, sent at {@code sentAtMillis}. */
  private record Request(long id, String owner, long sentAtMillis) {
  }

  IngestionVerticle(Connection nats, IngestLane lane, LaneHold hold, IngestSettings settings, long heartbeatIntervalMillis,
      GatewayMetrics metrics, GatewayActivity activity) {
    this.activity = activity;
    this.lane = lane;
    this.hold = hold;
    this.leaseRevision = hold.revision();
    this.nats = nats;
    this.settings = settings;
    this.metrics = metrics;
    this.limits = new CompletionCodec.Limits(settings.maxEventBytes(), settings.maxClockSkew().toMillis(),
        settings.maxEventAge().toMillis());
    this.redelivery = new RedeliveryPlan(settings.nakDelay(), settings.maxNakDelay(), settings.maxProcessingAttempts());
    this.reroutes = new Reroutes<>(settings.rerouteDelay().toMillis(),
        Math.max(settings.rerouteDelay().toMillis(), MAX_REROUTE_MILLIS));
    this.suspicions = new SuspicionDetector(settings.suspectAfter().toMillis(), 2 * heartbeatIntervalMillis);
  }

  @Override
  public Future<?> start() throws Exception {
    deadLetters = new DeadLetters(vertx, nats);
    announcer = new ChamberAnnouncer(vertx);
    completions = new CompletionsConsumer(nats, lane, settings, context, this::onDelivery);
    vertx.setPeriodic(Math.max(500, settings.ackWait().toMillis() / 3), id -> keepHeldEventsAlive());
    vertx.setPeriodic(1_000, id -> reportHeld());
    vertx.setPeriodic(IngestionLanes.ANNOUNCE_MILLIS, id -> renewLease());
    vertx.setPeriodic(settings.rerouteDelay().toMillis(), id -> {
      reroute(reroutes.due(System.currentTimeMillis()));
      reportSuspects();
    });
    return Future.all(
            vertx.eventBus().<JsonObject>consumer(Addresses.ASSIGNMENT, m -> onAssignment(m.body())).completion(),
            vertx.eventBus().<JsonObject>consumer(Addresses.DEFENDER_HEARTBEAT, m -> onHeartbeat(m.body())).completion())
        .compose(ignored -> fetchWholeAssignment())
        .compose(ignored -> completions.start())
        .onSuccess(ignored -> LOG.log(System.Logger.Level.INFO, "ingest: lane [" + lane + "] ingesting"));
  }

  /**
   * Graceful stop: pull nothing more, hand back every event not in flight (nak: JetStream
   * redelivers at once, to the gateway that takes the lane over), let the requests in flight answer
   * (bounded by the request timeout), then release the lane's lock.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    return completions.stop()
        .compose(ignored -> {
          handBackAllButInFlight();
          return awaitRequestsInFlight();
        })
        .eventually(() -> fencedOut ? Future.succeededFuture()
            : vertx.executeBlocking(() -> {
              hold.lease().release(leaseRevision, hold.holder()); // the next reader need not wait for it to expire
              return null;
            }, false).otherwiseEmpty())
        .eventually(() -> {
          activity.held(lane.index(), Map.of());
          hold.lock().release();
          LOG.log(System.Logger.Level.INFO, "ingest: lane [" + lane + "] released");
          return Future.succeededFuture();
        });
  }

  /**
   * Renews the lane's lease (blocking, off the event loop; one renewal at a time). Found taken: the
   * cluster was split and a gateway on the other side took the lane over — this one stops reading it.
   * NATS out of reach: tried again next time (nobody else can renew or take it either).
   */
  private void renewLease() {
    if (renewing || fencedOut || stopping) {
      return;
    }
    renewing = true;
    long revision = leaseRevision;
    vertx.executeBlocking(() -> hold.lease().renew(revision, hold.holder()), false).onComplete(done -> {
      renewing = false;
      if (done.failed() || stopping) {
        return;
      }
      if (done.result() < 0) {
        fencedOut = true;
        LOG.log(System.Logger.Level.WARNING, "ingest: lane [" + lane + "]: its lease was taken by another gateway; "
            + "stopping to read it");
        hold.fencedOut().run();
        return;
      }
      leaseRevision = done.result();
    });
  }

  private void handBackAllButInFlight() {
    for (Item<Delivery> item : sequencer.held()) {
      if (!requests.containsKey(item)) {
        reroutes.forget(item);
        item.payload().message().nak();
      }
    }
  }

  private Future<Void> awaitRequestsInFlight() {
    Promise<Void> answered = Promise.promise();
    long deadline = System.currentTimeMillis() + settings.requestTimeout().toMillis();
    vertx.setPeriodic(50, id -> {
      if (requests.isEmpty() || System.currentTimeMillis() >= deadline) {
        vertx.cancelTimer(id);
        answered.tryComplete();
      }
    });
    return answered.future();
  }

  /** A delta or a whole assignment from the leader ({@link AssignmentFeed}). */
  private void onAssignment(JsonObject broadcast) {
    switch (assignments.offer(broadcast)) {
      case APPLIED -> routeByNewAssignment();
      case GAP -> fetchWholeAssignment();
      case STALE -> { }
    }
  }

  private Future<Void> fetchWholeAssignment() {
    return vertx.eventBus().<JsonObject>request(Addresses.ASSIGNMENT_CURRENT, new JsonObject())
        .onSuccess(reply -> {
          if (assignments.offer(AssignmentSnapshot.fromJson(reply.body())) == AssignmentFeed.Outcome.APPLIED) {
            routeByNewAssignment();
          }
        })
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private void routeByNewAssignment() {
    abandonRequestsToDepartedOwners();
    AssignmentSnapshot view = assignments.held();
    reroute(reroutes.routedElsewhere(item -> view.servedBy(item.chamber())));
  }

  /** A defender that heartbeats may just have come back or started serving: route what waits for it. */
  private void onHeartbeat(JsonObject body) {
    Heartbeat heartbeat;
    try {
      heartbeat = Heartbeat.fromJson(body);
    } catch (RuntimeException e) {
      return; // not a defender's heartbeat; the leader logs malformed ones
    }
    suspicions.heartbeat(heartbeat.defenderId(), System.currentTimeMillis(), costsOf(heartbeat));
    if (reroutes.size() > 0) {
      reroute(reroutes.waitingFor(heartbeat.defenderId()));
    }
  }

  /** The measured costs a heartbeat carries (every few heartbeats), by chamber; keys that are no chamber skipped. */
  private static Map<ChamberKey, Double> costsOf(Heartbeat heartbeat) {
    if (heartbeat.costs().isEmpty()) {
      return Map.of();
    }
    Map<ChamberKey, Double> parsed = new HashMap<>();
    heartbeat.costs().forEach((chamber, millis) -> {
      try {
        parsed.put(ChamberKey.parse(chamber), millis);
      } catch (IllegalArgumentException badKey) {
        // not a chamber: nothing to learn from it
      }
    });
    return parsed;
  }

  /** Tells the leader about owners whose requests are long overdue while their heartbeat is late. */
  private void reportSuspects() {
    long now = System.currentTimeMillis();
    Set<String> late = requests.isEmpty() ? Set.of() : suspicions.late(now);
    if (late.isEmpty()) {
      return; // the common case: every owner heartbeats
    }
    List<SuspicionDetector.Outstanding> inFlight = new ArrayList<>();
    requests.forEach((item, request) -> {
      if (late.contains(request.owner())) {
        inFlight.add(new SuspicionDetector.Outstanding(request.owner(), item.chamber(), request.sentAtMillis()));
      }
    });
    for (SuspicionDetector.Suspicion suspect : suspicions.check(now, inFlight)) {
      LOG.log(System.Logger.Level.WARNING, "ingest: suspect defender [" + suspect.defenderId() + "]: " + suspect.evidence());
      metrics.retried("owner-suspected");
      vertx.eventBus().send(Addresses.DEFENDER_SUSPECTED,
          new DefenderMessages.Suspicion(suspect.defenderId(), suspect.evidence()).toJson());
    }
  }

  private void reroute(List<Item<Delivery>> events) {
    events.forEach(this::dispatch);
  }

  /** Holds the chamber's event in flight until it can be routed (see {@link Reroutes}). */
  private void awaitRoute(Item<Delivery> item, String owner, String reason) {
    if (reroutes.park(item, owner, reason, System.currentTimeMillis())) {
      metrics.retried(reason);
    }
  }

  /**
   * A defender that owns nothing in the new assignment is dead (or drained): a request in flight to
   * it would only end at the request timeout. Give those up now and send the events back, so the
   * chambers' new owners get them at once. A late reply to an abandoned request is ignored.
   */
  private void abandonRequestsToDepartedOwners() {
    // A restarting home serves nothing but is still the home of its chambers: its requests in
    // flight finish (the handover waits for them); only a defender the assignment no longer names
    // at all is gone.
    Set<String> owners = new HashSet<>();
    assignments.held().chambers().values().forEach(entry -> {
      owners.add(entry.owner());
      owners.add(entry.leasedTo());
    });
    for (Item<Delivery> item : sequencer.inFlight()) {
      Request request = requests.get(item);
      if (request != null && !owners.contains(request.owner())) {
        requests.remove(item);
        awaitRoute(item, null, "owner-gone");
      }
    }
  }

  private void onDelivery(Message message) {
    metrics.received();
    if (stopping) {
      message.nak(); // pulled just before the stop: for the gateway that takes over
      return;
    }
    String subject = Subjects.asPublished(message.getSubject());
    CompletionCodec.Decoded decoded = CompletionCodec.decode(subject, message.getData(), limits, System.currentTimeMillis());
    if (!decoded.isValid()) {
      deadLetter(message, subject, decoded.rejection().reason(), decoded.rejection().message());
      return;
    }
    ChamberKey chamber = decoded.event().chamber();
    Item<Delivery> item = new Item<>(chamber, message.metaData().streamSequence(),
        new Delivery(message, decoded.event()));
    switch (sequencer.admit(item)) {
      case QUEUED -> pump(chamber);
      case DEFERRED -> {
        message.nakWithDelay(redelivery.followerDelay(chamber, System.currentTimeMillis()));
        metrics.retried("behind-earlier-event");
      }
      case ALREADY_IN_FLIGHT -> sequencer.inFlight(chamber).ifPresent(held -> held.payload().deliveredAgain(message));
    }
  }

  private void pump(ChamberKey chamber) {
    sequencer.next(chamber).ifPresent(this::dispatch);
  }

  private void dispatch(Item<Delivery> item) {
    if (stopping) {
      return; // handed back already
    }
    ChamberKey chamber = item.chamber();
    AssignmentSnapshot view = assignments.held();
    if (!view.knows(chamber)) {
      announcer.unknown(chamber, System.currentTimeMillis());
      awaitRoute(item, null, "unknown-chamber");
      return;
    }
    announcer.known(chamber);
    String owner = view.servedBy(chamber);
    if (owner == null) {
      awaitRoute(item, null, "no-owner");
      return;
    }
    Request request = new Request(++requestsSent, owner, System.currentTimeMillis());
    requests.put(item, request);
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(settings.requestTimeout().toMillis())
        .addHeader(Addresses.HEADER_OWNER, owner)
        .addHeader(Addresses.HEADER_EPOCH, Long.toString(view.epoch()));
    vertx.eventBus().<JsonObject>request(Addresses.defenderInbox(owner),
            CompletionCodec.toJson(item.payload().event()), options)
        .onComplete(result -> onReply(item, request, result.map(io.vertx.core.eventbus.Message::body)));
  }

  /**
   * Counts what the chamber verticle answered ({@link VerdictReceipt}): a published verdict's
   * completion-to-verdict latency, or a replay. The event is done either way; an answer this version
   * cannot read is logged and not counted (a newer defender's, say).
   */
  private void countVerdict(CompletionEvent event, String owner, JsonObject reply) {
    VerdictReceipt receipt;
    try {
      receipt = VerdictReceipt.fromJson(reply);
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.WARNING, "ingest: unreadable answer of defender [" + owner + "] for chamber ["
          + event.chamber() + "]: " + e.getMessage());
      return;
    }
    if (receipt.replay()) {
      metrics.replayAcknowledged();
      return;
    }
    long publishedAt = receipt.publishedAt();
    boolean breached = metrics.verdictPublished(event.completedAt(), publishedAt);
    activity.verdict(event.chamber(), Math.max(0, publishedAt - event.completedAt()), breached, owner, event.contextId());
  }

  private void onReply(Item<Delivery> item, Request request, AsyncResult<JsonObject> result) {
    if (!requests.remove(item, request)) {
      return; // given up on; the event was routed again or is waiting for a route
    }
    String owner = request.owner();
    if (result.succeeded()) {
      item.payload().message().ack();
      forget(item);
      countVerdict(item.payload().event(), owner, result.result());
      finish(item);
      return;
    }
    if (!(result.cause() instanceof ReplyException failure)) {
      retryLater(item, "send-failed");
      return;
    }
    if (failure.failureType() == ReplyFailure.NO_HANDLERS || isNotServedThere(failure)) {
      String now = assignments.held().servedBy(item.chamber());
      if (now != null && !now.equals(owner)) {
        dispatch(item); // the assignment moved on meanwhile (e.g. a lease): no need to wait
        return;
      }
    }
    switch (failure.failureType()) {
      case NO_HANDLERS -> awaitRoute(item, owner, "no-handler");
      case TIMEOUT -> retryLater(item, "timeout");
      default -> onRecipientFailure(item, owner, failure);
    }
  }

  /** The recipient runs but does not serve the chamber (yet, or any more). */
  private static boolean isNotServedThere(ReplyException failure) {
    return failure.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && (failure.failureCode() == ChamberReplies.NOT_OWNER || failure.failureCode() == ChamberReplies.RESTARTING);
  }

  private void onRecipientFailure(Item<Delivery> item, String owner, ReplyException failure) {
    switch (failure.failureCode()) {
      case ChamberReplies.NOT_OWNER -> awaitRoute(item, owner, "not-owner");
      case ChamberReplies.RESTARTING -> awaitRoute(item, owner, "restarting");
      case ChamberReplies.STALE_STATE -> awaitRoute(item, owner, "stale-state");
      case ChamberReplies.UNAVAILABLE -> awaitRoute(item, owner, "unavailable");
      case ChamberReplies.BAD_EVENT -> deadLetterInFlight(item, CompletionCodec.Rejection.INVALID_FIELD,
          failure.getMessage());
      case ChamberReplies.REJECTED -> deadLetterInFlight(item, DeadLetters.DEFENSE_REJECTED, failure.getMessage());
      case ChamberReplies.TRACE_CORRUPT -> deadLetterInFlight(item, CompletionCodec.Rejection.TRACE_CORRUPT,
          failure.getMessage());
      case ChamberReplies.TRACE_MISSING -> failedAttempt(item, CompletionCodec.Rejection.TRACE_MISSING,
          "trace not found", failure);
      default -> failedAttempt(item, DeadLetters.PROCESSING_FAILED, "defense process failed", failure);
    }
  }

  /** A failure a retry may heal: retried until {@code maxProcessingAttempts}, then dead-lettered with {@code reason}. */
  private void failedAttempt(Item<Delivery> item, String reason, String what, ReplyException failure) {
    if (redelivery.failedAndExhausted(item.streamSequence())) {
      deadLetterInFlight(item, reason, what + " " + redelivery.failures(item.streamSequence())
          + " times, last: " + failure.getMessage());
    } else {
      retryLater(item, reason);
    }
  }

  /** The chamber's event in flight goes back to JetStream, and every event queued behind it. */
  private void retryLater(Item<Delivery> item, String reason) {
    reroutes.forget(item);
    long now = System.currentTimeMillis();
    item.payload().message().nakWithDelay(redelivery.handBack(item.chamber(), item.streamSequence(), now));
    metrics.retried(reason);
    for (Item<Delivery> follower : sequencer.deferInFlight(item.chamber())) {
      follower.payload().message().nakWithDelay(redelivery.followerDelay(item.chamber(), now));
    }
  }

  private void forget(Item<Delivery> item) {
    redelivery.forget(item.streamSequence());
    reroutes.forget(item);
  }

  private void deadLetterInFlight(Item<Delivery> item, String reason, String explanation) {
    deadLetters.publish(item.payload().message(), reason, explanation)
        .onSuccess(ack -> {
          item.payload().message().term();
          forget(item);
          metrics.deadLettered(reason);
          LOG.log(System.Logger.Level.WARNING, "ingest: chamber [" + item.chamber() + "] event seq ["
              + item.streamSequence() + "] dead-lettered (" + reason + "): " + explanation);
          finish(item);
        })
        .onFailure(failure -> {
          deadLetterRefused(failure);
          retryLater(item, "dead-letter-failed");
        });
  }

  /** An event that never entered a chamber lane (it could not even be decoded). */
  private void deadLetter(Message message, String subject, String reason, String explanation) {
    deadLetters.publish(message, reason, explanation)
        .onSuccess(ack -> {
          message.term();
          metrics.deadLettered(reason);
          LOG.log(System.Logger.Level.WARNING, "ingest: " + subject + " dead-lettered ("
              + reason + "): " + explanation);
        })
        .onFailure(failure -> {
          deadLetterRefused(failure);
          message.nakWithDelay(settings.maxNakDelay());
        });
  }

  /** A dead letter the stream refused: the event goes back un-acked; say why, in metrics and the log. */
  private void deadLetterRefused(Throwable failure) {
    String full = StorageLimitException.reasonOf(failure);
    if (full != null) {
      metrics.refused(Subjects.DEAD_LETTER_STREAM, full);
    }
    LOG.log(System.Logger.Level.WARNING, "ingest: dead letter not stored" + (full == null ? "" : " (" + full + ")")
        + ", the event comes again: " + failure.getMessage());
  }

  private void finish(Item<Delivery> item) {
    sequencer.completed(item.chamber());
    pump(item.chamber());
  }

  /** The events this lane holds per chamber, for the operator's view of lag. */
  private void reportHeld() {
    Map<ChamberKey, GatewayActivity.Held> held = new HashMap<>();
    for (Item<Delivery> item : sequencer.held()) {
      long completedAt = item.payload().event().completedAt();
      held.merge(item.chamber(), new GatewayActivity.Held(1, completedAt),
          (a, b) -> new GatewayActivity.Held(a.events() + b.events(), Math.min(a.oldestCompletedAt(), b.oldestCompletedAt())));
    }
    activity.held(lane.index(), held);
  }

  private void keepHeldEventsAlive() {
    for (Item<Delivery> item : sequencer.held()) {
      item.payload().message().inProgress();
    }
  }
}
