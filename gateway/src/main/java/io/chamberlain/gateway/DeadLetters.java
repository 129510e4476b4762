package io.chamberlain.gateway;

import io.chamberlain.wire.Subjects;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Moves an event that can never be processed out of the way: republishes its original bytes to
 * {@code dc.dlq.{reason}} (kept by the dead-letter stream) with the reason, the original subject
 * and the delivery count in headers. The caller terminates the original only after the dead letter
 * is stored, so nothing is lost in between.
 */
final class DeadLetters {

  /** Reason token: the defense process failed {@code ingest.maxProcessingAttempts} times. */
  static final String PROCESSING_FAILED = "processing-failed";
  /** Reason token: the defense process refused the event as bad input. */
  static final String DEFENSE_REJECTED = "defense-rejected";

  private final Vertx vertx;
  private final JetStream jetStream;

  DeadLetters(Vertx vertx, JetStream jetStream) {
    this.vertx = vertx;
    this.jetStream = jetStream;
  }

  Future<PublishAck> publish(Message original, String reason, String explanation) {
    Headers headers = new Headers()
        .put(Subjects.HEADER_DLQ_REASON, oneLine(explanation))
        .put(Subjects.HEADER_DLQ_SUBJECT, original.getSubject())
        .put(Subjects.HEADER_DLQ_DELIVERIES, String.valueOf(deliveries(original)));
    return Future.fromCompletionStage(
        jetStream.publishAsync(Subjects.deadLetter(reason), headers, original.getData()),
        vertx.getOrCreateContext());
  }

  private static long deliveries(Message message) {
    return message.isJetStream() ? message.metaData().deliveredCount() : 1;
  }

  /** NATS headers cannot hold line breaks. */
  private static String oneLine(String text) {
    String flat = text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
    return flat.length() > 1000 ? flat.substring(0, 1000) + "…" : flat;
  }
}
