package io.chamberlain.worker;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.ChamberReplies;
import io.chamberlain.wire.CompletionCodec;
import io.chamberlain.wire.Subjects;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.DoubleSupplier;

/**
 * One chamber on its owning defender. Consumes {@code chamber.{toolId}.{chamberId}}; for each
 * completion it runs the defense process off the event loop, publishes the verdict to
 * {@code defense.{toolId}.{chamberId}.result} (JetStream, {@code Nats-Msg-Id = contextId}, so a
 * retried event cannot store a second verdict) and replies to the gateway.
 *
 * <p>Reply failures tell the gateway what to do ({@link ChamberReplies}). Undeploying waits for the event in flight, so a chamber that moves away
 * finishes its current event before the next owner can start.
 */
public final class ChamberVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(ChamberVerticle.class.getName());

  private final ChamberKey chamber;
  private final String defenderId;
  private final JetStream jetStream;
  private final ChamberProcessor processor;
  private final DoubleSupplier weight;
  private MessageConsumer<JsonObject> consumer;
  private Future<?> inFlight = Future.succeededFuture();

  public ChamberVerticle(ChamberKey chamber, String defenderId, JetStream jetStream,
      ChamberProcessor processor, DoubleSupplier weight) {
    this.chamber = chamber;
    this.defenderId = defenderId;
    this.jetStream = jetStream;
    this.processor = processor;
    this.weight = weight;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.chamber(chamber), this::onCompletion);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    // Stop taking events, then let the one in flight finish (its verdict and reply go out).
    return consumer.unregister().eventually(() -> inFlight);
  }

  private void onCompletion(Message<JsonObject> message) {
    String routedOwner = message.headers().get(Addresses.HEADER_OWNER);
    if (!defenderId.equals(routedOwner)) {
      message.fail(ChamberReplies.NOT_OWNER, "chamber " + chamber + " is not owned by " + routedOwner + " here at " + defenderId);
      return;
    }
    CompletionEvent event;
    try {
      event = CompletionCodec.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(ChamberReplies.BAD_EVENT, e.getMessage());
      return;
    }
    Future<JsonObject> done = vertx.executeBlocking(() -> processAndPublish(event));
    inFlight = done;
    done.onSuccess(message::reply).onFailure(failure -> {
      LOG.log(System.Logger.Level.WARNING, "defender: [" + defenderId + "] chamber [" + chamber
          + "] context [" + event.contextId() + "] failed: " + failure);
      message.fail(ChamberReplies.PROCESSING_FAILED, String.valueOf(failure.getMessage()));
    });
  }

  private JsonObject processAndPublish(CompletionEvent event) throws Exception {
    JsonObject verdict = processor.process(event, weight.getAsDouble())
        .put("toolId", chamber.toolId())
        .put("chamberId", chamber.chamberId())
        .put("contextId", event.contextId())
        .put("completedAt", event.completedAt())
        .put("defender", defenderId);
    long publishedAt = System.currentTimeMillis();
    verdict.put("publishedAt", publishedAt);
    Headers headers = new Headers().put("Nats-Msg-Id", event.contextId());
    PublishAck ack = jetStream.publish(NatsMessage.builder()
        .subject(Subjects.verdict(chamber))
        .headers(headers)
        .data(verdict.toBuffer().getBytes())
        .build());
    return new JsonObject().put("verdict", verdict.getString("verdict"))
        .put("publishedAt", publishedAt).put("duplicate", ack.isDuplicate()).put("defender", defenderId);
  }
}
