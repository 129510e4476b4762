package io.chamberlain.gateway;

import io.chamberlain.config.GatewayConfig.IngestSettings;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ConsumeOptions;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * The ingestion's durable pull consumer on the completions stream, delivering every message on the
 * ingestion verticle's context.
 *
 * <p>Why it restarts itself: a pull consumer's outstanding pull request lives in the server's
 * memory. When nats-server restarts, the connection reconnects and resubscribes, but jnats still
 * counts the old pull as pending and asks for nothing until its idle-heartbeat alarm fires —
 * measured here at 44–87 s without a single delivery. So on every reconnect the consume is stopped
 * and started again, which issues a fresh pull at once. Messages delivered before the outage and
 * still held keep their ack subjects; the durable consumer's state survives on the server.
 */
final class CompletionsConsumer {

  private static final System.Logger LOG = System.getLogger(CompletionsConsumer.class.getName());

  private final Connection nats;
  private final IngestSettings settings;
  private final Context context;
  private final Handler<Message> onMessage;
  private final ConnectionListener reconnects = this::onConnectionEvent;
  private MessageConsumer consume;
  private boolean stopped;

  CompletionsConsumer(Connection nats, IngestSettings settings, Context context, Handler<Message> onMessage) {
    this.nats = nats;
    this.settings = settings;
    this.context = context;
    this.onMessage = onMessage;
  }

  /** Creates (or updates) the durable consumer and starts pulling. */
  Future<Void> start() {
    nats.addConnectionListener(reconnects);
    return context.owner().executeBlocking(() -> {
      restartConsume();
      return null;
    });
  }

  Future<Void> stop() {
    nats.removeConnectionListener(reconnects);
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
      context.owner().executeBlocking(() -> {
        restartConsume();
        return null;
      }).onFailure(failure -> LOG.log(System.Logger.Level.ERROR,
          "ingest: could not resume consuming after a reconnect: " + failure));
    }
  }

  private synchronized void restartConsume() throws Exception {
    if (stopped) {
      return;
    }
    if (consume != null) {
      consume.stop();
      LOG.log(System.Logger.Level.INFO, "ingest: NATS reconnected; pulling again from [" + Subjects.INGEST_CONSUMER + "]");
    }
    consume = nats.getStreamContext(Subjects.COMPLETIONS_STREAM)
        .createOrUpdateConsumer(configuration())
        .consume(ConsumeOptions.builder().batchSize(Math.min(settings.maxAckPending(), 256)).build(),
            message -> context.runOnContext(v -> onMessage.handle(message)));
  }

  private ConsumerConfiguration configuration() {
    return ConsumerConfiguration.builder()
        .durable(Subjects.INGEST_CONSUMER)
        .filterSubject(Subjects.COMPLETED_ALL)
        .deliverPolicy(DeliverPolicy.All)
        .ackPolicy(AckPolicy.Explicit)
        .ackWait(settings.ackWait())
        .maxAckPending(settings.maxAckPending())
        .build();
  }
}
