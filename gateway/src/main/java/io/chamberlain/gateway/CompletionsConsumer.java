package io.chamberlain.gateway;

import io.chamberlain.config.GatewayConfig.IngestSettings;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ConsumeOptions;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.StreamContext;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * One lane's durable pull consumer on the completions stream ({@link IngestLane}), delivering every
 * message on the lane's ingestion verticle's context.
 *
 * <p>Taking the lane over resets the consumer at its ack floor: it is deleted and created again to
 * deliver from the first stream sequence not yet acknowledged. Whatever the previous active gateway
 * held un-acked — it may have died with events queued or in flight — comes again at once, in stream
 * order, before anything newer; without the reset those events would return only after the ack
 * wait, behind their chambers' newer events, breaking per-chamber order. Events above the floor that
 * were already done come again too and are acknowledged as duplicates (the chamber state knows its
 * processed contexts). Deleting the consumer also fences a previous holder that is merely frozen:
 * its acks and pulls go nowhere.
 *
 * <p>Reconnects: a pull consumer's outstanding pull request lives in the server's memory. When
 * nats-server restarts, the connection reconnects and resubscribes, but jnats still counts the old
 * pull as pending and asks for nothing until its idle-heartbeat alarm fires — measured here at
 * 44–87 s without a single delivery. So on every reconnect the consume is started again, at once.
 * And the consumer is reset at its ack floor first, as on a takeover: a message the server delivered
 * as the connection died never arrived, the server counts it delivered, and it would come again only
 * after the ack wait — behind its chamber's next event (the live scenario nats-cluster saw one
 * verdict out of order that way, 10 s late). After the reset it comes first; the events this gateway
 * still holds come again too, and the copy to acknowledge becomes the new one.
 *
 * <p>Leader changes: on a NATS cluster the consumer's leader may move to another server (its server
 * died) while this gateway's connection, to a survivor, never drops — no reconnect to react to, and
 * the pull waiting at the dead leader is gone (NatsClusterIT once saw a lane stop for good), with any
 * delivery it had on its way. So a lane that delivered nothing for {@link #STALL_AFTER_MILLIS} while
 * its consumer has events waiting and room for more un-acked ones is reset and pulls again. (Short
 * pull expiries do not do it: jnats then waits for its heartbeat alarm after every pull that expired
 * part-filled — seconds without a delivery at a low rate.)
 */
final class CompletionsConsumer {

  private static final System.Logger LOG = System.getLogger(CompletionsConsumer.class.getName());
  /** Between tries to consume again after a reconnect that could not (the consumer's leader not elected yet). */
  static final long RESUME_RETRY_MILLIS = 1_000;
  /** A lane that delivered nothing this long while events wait for it pulls again. */
  static final long STALL_AFTER_MILLIS = 3_000;

  private final Connection nats;
  private final IngestLane lane;
  private final IngestSettings settings;
  private final Context context;
  private final Handler<Message> onMessage;
  private final ConnectionListener reconnects = this::onConnectionEvent;
  private MessageConsumer consume;
  private boolean stopped;
  private volatile long lastDeliveryNanos = System.nanoTime();
  private long stallTimer = -1;
  private boolean checkingStall;

  CompletionsConsumer(Connection nats, IngestLane lane, IngestSettings settings, Context context,
      Handler<Message> onMessage) {
    this.nats = nats;
    this.lane = lane;
    this.settings = settings;
    this.context = context;
    this.onMessage = onMessage;
  }

  /** Resets the durable consumer at its ack floor (see the class comment) and starts pulling. */
  Future<Void> start() {
    nats.addConnectionListener(reconnects);
    return context.owner().<Void>executeBlocking(() -> {
      resetAtAckFloor("took lane [" + lane + "] over");
      restartConsume();
      return null;
    }).onSuccess(started -> stallTimer = context.owner().setPeriodic(STALL_AFTER_MILLIS / 3, id -> checkStalled()));
  }

  /** Runs on the lane's context: pulls again if nothing came for a while though events wait (see the class comment). */
  private void checkStalled() {
    if (checkingStall || System.nanoTime() - lastDeliveryNanos < STALL_AFTER_MILLIS * 1_000_000) {
      return;
    }
    checkingStall = true;
    context.owner().executeBlocking(() -> {
      ConsumerInfo info = nats.getStreamContext(Subjects.COMPLETIONS_STREAM).getConsumerInfo(lane.consumer());
      if (info.getNumPending() > 0 && info.getNumAckPending() < settings.maxAckPending()) {
        LOG.log(System.Logger.Level.WARNING, "ingest: lane [" + lane + "] delivered nothing for "
            + STALL_AFTER_MILLIS + " ms while " + info.getNumPending() + " events wait; pulling again");
        resetAtAckFloor("reset lane [" + lane + "] after it stalled");
        restartConsume();
      }
      lastDeliveryNanos = System.nanoTime(); // checked again after another quiet spell, not at every tick
      return null;
    }, false).onComplete(done -> checkingStall = false);
  }

  /** Deletes the durable consumer and creates it again delivering from its first un-acked event ({@code why}: for the log). */
  private synchronized void resetAtAckFloor(String why) throws Exception {
    if (stopped) {
      return;
    }
    StreamContext stream = nats.getStreamContext(Subjects.COMPLETIONS_STREAM);
    long firstUnacked = 1;
    if (stream.getConsumerNames().contains(lane.consumer())) {
      ConsumerInfo info = stream.getConsumerInfo(lane.consumer());
      firstUnacked = firstUnacked(info);
      stream.deleteConsumer(lane.consumer());
      LOG.log(System.Logger.Level.INFO, "ingest: " + why + " at stream sequence [" + firstUnacked + "] ("
          + info.getNumAckPending() + " un-acked come again first)");
    }
    stream.createOrUpdateConsumer(configuration(firstUnacked));
  }

  /**
   * The first stream sequence the consumer has not seen acknowledged. A consumer acknowledged nothing
   * since it was created reports an ack floor of 0, not the sequence before its start: read alone, a
   * second reset before the first acknowledgement (a reconnect and a stall together, or a takeover
   * right after one) would deliver the whole stream again — the soak saw 400 s of backlog from it.
   */
  static long firstUnacked(ConsumerInfo info) {
    return Math.max(info.getAckFloor().getStreamSequence() + 1, info.getConsumerConfiguration().getStartSequence());
  }

  Future<Void> stop() {
    nats.removeConnectionListener(reconnects);
    if (stallTimer >= 0) {
      context.owner().cancelTimer(stallTimer);
    }
    return context.owner().executeBlocking(() -> {
      synchronized (this) {
        stopped = true;
        if (consume != null) {
          consume.stop();
        }
      }
      return null;
    });
  }

  private void onConnectionEvent(Connection connection, ConnectionListener.Events event) {
    if (event == ConnectionListener.Events.RESUBSCRIBED) {
      resumeConsuming(1);
    }
  }

  /**
   * Resets the consumer and starts consuming again after a reconnect, retrying every {@link #RESUME_RETRY_MILLIS} until it
   * works or the lane stops: on a NATS cluster whose server died, the consumer's new leader may not be
   * elected yet (seconds), and the first try times out — given up then, the lane would never be read
   * again (NatsClusterIT).
   */
  private void resumeConsuming(int attempt) {
    context.owner().executeBlocking(() -> {
      resetAtAckFloor("reset lane [" + lane + "] after a reconnect");
      restartConsume();
      return null;
    }, false).onFailure(failure -> {
      synchronized (this) {
        if (stopped) {
          return;
        }
      }
      LOG.log(attempt == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, "ingest: could not resume "
          + "consuming [" + lane.consumer() + "] after a reconnect (attempt " + attempt + "), trying again: " + failure);
      context.owner().setTimer(RESUME_RETRY_MILLIS, id -> resumeConsuming(attempt + 1));
    });
  }

  private synchronized void restartConsume() throws Exception {
    if (stopped) {
      return;
    }
    if (consume != null) {
      consume.stop();
      LOG.log(System.Logger.Level.INFO, "ingest: pulling again from [" + lane.consumer() + "]");
    }
    consume = nats.getStreamContext(Subjects.COMPLETIONS_STREAM)
        .getConsumerContext(lane.consumer())
        .consume(ConsumeOptions.builder().batchSize(Math.min(settings.maxAckPending(), 256)).build(),
            message -> {
              lastDeliveryNanos = System.nanoTime();
              context.runOnContext(v -> onMessage.handle(message));
            });
  }

  private ConsumerConfiguration configuration(long startSequence) {
    return ConsumerConfiguration.builder()
        .durable(lane.consumer())
        .filterSubject(lane.filter())
        .deliverPolicy(DeliverPolicy.ByStartSequence)
        .startSequence(startSequence)
        .ackPolicy(AckPolicy.Explicit)
        .ackWait(settings.ackWait())
        .maxAckPending(settings.maxAckPending())
        .build();
  }
}
