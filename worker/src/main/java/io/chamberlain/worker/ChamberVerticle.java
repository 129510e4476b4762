package io.chamberlain.worker;

import io.chamberlain.defense.CorruptStateException;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.Trace;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.ChamberReplies;
import io.chamberlain.wire.CompletionCodec;
import io.chamberlain.wire.NatsHeaders;
import io.chamberlain.wire.PublishedVerdict;
import io.chamberlain.nats.StorageLimitException;
import io.chamberlain.wire.Subjects;
import io.chamberlain.wire.VerdictReceipt;
import io.chamberlain.worker.defense.ChamberDefense;
import io.chamberlain.worker.runtime.ChamberCache.Cached;
import io.chamberlain.worker.runtime.ChamberStateStore;
import io.chamberlain.worker.runtime.DefenderServices;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.NatsMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * One chamber on its owning defender. It takes the completions its defender routes to it
 * ({@link #accept}); before the first, it takes the chamber's defense state — warm from the cache
 * if nobody processed the chamber since it was last here, else from JetStream KV. That activation
 * is lazy, on the first completion's thread, not at deployment: starting a chamber costs no
 * KV read, so a defender given hundreds of chambers at once (new chambers, a cold start, a lease)
 * serves them at once, and a chamber that moves on before its next event never loads anything.
 * Per completion, one at a time, on a virtual thread of the defender's {@link
 * io.chamberlain.worker.runtime.DefenseWork} (the trace and the judging in one of its bounded judging
 * slots, the round trips after it outside): fetch the trace, judge, publish the verdict to
 * {@code defense.{toolId}.{chamberId}.result} ({@code Nats-Msg-Id = contextId}), persist the new
 * state with compare-and-set, commit, reply. Any failure drops the state in memory (the next event
 * loads the stored one), so a retry judges again instead of being taken for a duplicate; a replayed
 * context (already judged) is acknowledged without a second verdict.
 *
 * <p>Fencing: the chamber's KV state revision is the ownership token; the new state is written
 * with compare-and-set on the revision this owner read. The chamber can change hands behind this
 * owner's back only while it is unresponsive — the leader declares a defender dead after
 * {@code leader.suspectedSilenceMillis} at the earliest; a planned move waits for this event's reply;
 * a defender that missed epochs, or got a chamber back before undeploying it, makes it re-read its
 * state first ({@link #reactivate}) — so an event judged within {@code fenceAfter} of its arrival
 * (half that) publishes at once. One
 * that took longer (this owner was frozen, paused, or its defense process is slow) first checks that
 * the revision is still the one it read: a defender that was frozen or cut off while the chamber
 * moved finds it moved on and drops its judgement instead of publishing a verdict from an old state,
 * possibly after the stream's duplicate window. (A KV read of a 20–30 KB state per event was a tenth
 * of a worker's CPU.) A conflict (an owner that was frozen
 * or cut off wrote after this activation) is resolved here: reload, judge once more; a second
 * conflict goes back to the gateway as {@link ChamberReplies#STALE_STATE}.
 *
 * <p>Reply failures tell the gateway what to do ({@link ChamberReplies}, chosen by
 * {@link ChamberFailureCodes}: a corrupt trace is dead-lettered at once, a missing one retried).
 * Undeploying waits for the event in flight, so a chamber that moves away finishes its current
 * event before the next owner can start.
 */
public final class ChamberVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(ChamberVerticle.class.getName());

  private final ChamberKey chamber;
  private final DefenderServices services;
  private final Duration handoffTimeout;
  private final long fenceAfterNanos;
  private Future<?> inFlight = Future.succeededFuture();
  /** The chamber's state once activated; read and written only by this verticle's tasks, one at a time. */
  private volatile Cached active;

  /** @param fenceAfter an event that took longer than this since it arrived checks the state revision before publishing */
  public ChamberVerticle(ChamberKey chamber, DefenderServices services, Duration handoffTimeout, Duration fenceAfter) {
    this.chamber = chamber;
    this.services = services;
    this.handoffTimeout = handoffTimeout;
    this.fenceAfterNanos = fenceAfter.toNanos();
  }


  /**
   * The defender no longer routes to this chamber; the event in flight may finish (verdict, reply)
   * — but a hung defense process must not hold the handoff, and with it every later assignment,
   * forever: after {@code handoffTimeout} the chamber lets go. A late verdict is then fenced by the
   * state revision, or deduplicated by its context id.
   */
  @Override
  public Future<?> stop() {
    Promise<Void> released = Promise.promise();
    long leaving = System.nanoTime();
    long timer = vertx.setTimer(handoffTimeout.toMillis(), id -> {
      LOG.log(System.Logger.Level.WARNING, "defender: [" + services.defenderId() + "] chamber [" + chamber
          + "] released after " + handoffTimeout.toMillis() + " ms with an event still in flight");
      released.tryComplete();
    });
    inFlight.onComplete(done -> {
      vertx.cancelTimer(timer);
      released.tryComplete();
    });
    return released.future().onComplete(done -> {
      services.metrics().handedOff(System.nanoTime() - leaving);
      services.cache().released(chamber);
    });
  }

  /**
   * The chamber may have been judged elsewhere since its state was activated here: its defender
   * missed assignment epochs (a gap), or lost the chamber and got it back before undeploying it. The
   * next event, after the one in flight, reads the stored revision again — the warm state is reused
   * if nobody wrote since — instead of judging, and publishing, from the state in memory: a verdict
   * is published before its state's compare-and-set, so the conflict would come too late.
   */
  void reactivate() {
    context.runOnContext(v -> inFlight = inFlight.andThen(done -> active = null));
  }

  /** A completion routed here by the defender's inbox; handled on this verticle's context. */
  void accept(Message<JsonObject> message) {
    context.runOnContext(v -> onCompletion(message));
  }

  /** One KV read: the stored state and its revision; the cached state is reused if it is still at that revision. */
  private Cached activate() throws Exception {
    ChamberStateStore.Loaded loaded = services.states().load(chamber);
    Cached warm = services.cache().reuse(chamber, loaded.revision());
    if (warm != null) {
      return warm;
    }
    ChamberDefense defense;
    try {
      defense = new ChamberDefense(services.selector().processFor(chamber), loaded.bytes());
    } catch (CorruptStateException e) {
      LOG.log(System.Logger.Level.ERROR, "defender: [" + services.defenderId() + "] chamber [" + chamber
          + "] has unreadable state (" + e.getMessage() + "); starting it afresh");
      defense = new ChamberDefense(services.selector().processFor(chamber), null);
    }
    Cached cached = new Cached(defense, loaded.revision());
    services.cache().put(chamber, cached);
    return cached;
  }

  private void onCompletion(Message<JsonObject> message) {
    String routedOwner = message.headers().get(Addresses.HEADER_OWNER);
    if (!services.defenderId().equals(routedOwner)) {
      message.fail(ChamberReplies.NOT_OWNER, "chamber " + chamber + " is owned by " + routedOwner
          + ", not by " + services.defenderId());
      return;
    }
    CompletionEvent event;
    try {
      event = CompletionCodec.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(ChamberReplies.BAD_EVENT, e.getMessage());
      return;
    }
    long arrived = System.nanoTime();
    // One event at a time per chamber: the next starts when the previous is done, whatever its outcome.
    Future<VerdictReceipt> done = inFlight.transform(previous ->
        services.work().submit(context, () -> defend(event, arrived)));
    inFlight = done;
    done.onSuccess(receipt -> message.reply(receipt.toJson())).onFailure(failure -> {
      services.metrics().failed();
      if (failure instanceof StorageLimitException full) {
        // Not the event's fault: the gateway holds it and routes it again until space returns.
        services.metrics().refused(full.store(), full.reason());
      }
      LOG.log(System.Logger.Level.WARNING, "defender: [" + services.defenderId() + "] chamber [" + chamber
          + "] context [" + event.contextId() + "] failed: " + failure.getMessage());
      message.fail(ChamberFailureCodes.codeFor(failure, services.natsConnected().getAsBoolean()),
          String.valueOf(failure.getMessage()));
    });
  }

  private VerdictReceipt defend(CompletionEvent event, long arrivedNanos) throws Exception {
    try {
      return judgeAndPublish(event, arrivedNanos);
    } catch (ChamberStateStore.StaleStateException stale) {
      // Another owner committed since this one read the state (an owner frozen or cut off that is
      // only now being fenced). The state is reloaded by now; judge once more against it.
      return judgeAndPublish(event, arrivedNanos);
    }
  }

  /**
   * Activates the chamber if needed, reads the trace and judges it, in one of the defender's judging
   * slots ({@link io.chamberlain.worker.runtime.DefenseWork#judging}): the trace is memory, judging is
   * CPU; the round trips after it wait outside the slot.
   */
  private ChamberDefense.Judgement judge(CompletionEvent event) throws Exception {
    if (active == null) {
      active = activate();
    }
    ChamberDefense defense = active.defense();
    Trace trace = defense.readsTrace() ? services.traces().traceOf(event, services.profileOf(chamber)) : Trace.NONE;
    long started = System.nanoTime();
    ChamberDefense.Judgement judgement = defense.judge(event, trace);
    long judgedIn = System.nanoTime() - started;
    services.costs().record(chamber, judgedIn);
    services.metrics().judged(judgedIn);
    return judgement;
  }

  private VerdictReceipt judgeAndPublish(CompletionEvent event, long arrivedNanos) throws Exception {
    try {
      ChamberDefense.Judgement judgement = services.work().judging(() -> judge(event));
      ChamberDefense defense = active.defense();
      if (!(judgement.outcome() instanceof DefenseOutcome.Judged judged)) {
        defense.commit(judgement);
        services.metrics().duplicate();
        return VerdictReceipt.replayed(services.defenderId());
      }
      if (System.nanoTime() - arrivedNanos > fenceAfterNanos) {
        // Fence: the state's KV revision moves only when a verdict is committed. If it moved since
        // this owner read it, another defender processed the chamber while this one did not run:
        // publish nothing from the old state.
        long current = services.states().revision(chamber);
        if (current != active.revision()) {
          throw new ChamberStateStore.StaleStateException("chamber " + chamber + " was processed elsewhere (state revision "
              + current + ", this owner holds " + active.revision() + "); not publishing");
        }
      }
      long publishedAt = System.currentTimeMillis();
      PublishedVerdict verdict = new PublishedVerdict(chamber, judged.verdict(), event.completedAt(), publishedAt,
          services.defenderId(), defense.state().contextsJudged());
      PublishAck ack = StorageLimitException.guard(Subjects.VERDICT_STREAM, () -> services.jetStream().publish(NatsMessage.builder()
          .subject(Subjects.verdict(chamber))
          .headers(NatsHeaders.msgId(event.contextId()))
          .data(verdict.toJson().toBuffer().getBytes())
          .build()));
      long revision = services.states().save(chamber, judgement.stateBytes(), active.revision());
      defense.commit(judgement);
      services.metrics().published();
      active = new Cached(defense, revision);
      services.cache().put(chamber, active);
      return VerdictReceipt.published(judged.verdict().status().name(), publishedAt, ack.isDuplicate(),
          services.defenderId());
    } catch (ChamberStateStore.StaleStateException stale) {
      // Another owner moved the state on: drop this judgement and reload before judging again.
      services.cache().invalidate(chamber);
      active = null;
      active = activate();
      throw stale;
    } catch (Exception e) {
      // The state in memory may be ahead of the stored one (ChamberDefense: spoiled): the next
      // event loads the stored state afresh, so a retry judges this context again.
      services.cache().invalidate(chamber);
      active = null;
      throw e;
    }
  }
}
