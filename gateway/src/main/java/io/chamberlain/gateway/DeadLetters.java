package io.chamberlain.gateway;

import io.chamberlain.wire.NatsHeaders;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.api.PublishAck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.Arrays;

/**
 * Moves an event that can never be processed out of the way: republishes its original bytes to
 * {@code dc.dlq.{reason}} (kept by the dead-letter stream) with the reason, the original subject
 * and the delivery count in headers. The caller terminates the original only after the dead letter
 * is stored, so nothing is lost in between.
 *
 * <p>Whatever the event brought, {@link #publish} fails only through its future, never by throwing:
 * the header values come from the event (a subject with an 'ø', a reason quoting a huge id) and are
 * made valid by {@link NatsHeaders}; an event so close to the server's {@code max_payload} that it
 * and the headers would not fit keeps its first bytes ({@link NatsHeaders#DLQ_ORIGINAL_BYTES} then
 * says how many it had). A dead letter that could not be published is an event redelivered forever,
 * holding one of its lane's {@code maxAckPending} slots.
 */
final class DeadLetters {

  /** Reason token: the defense process failed {@code ingest.maxProcessingAttempts} times. */
  static final String PROCESSING_FAILED = "processing-failed";
  /** Reason token: the defense process refused the event as bad input. */
  static final String DEFENSE_REJECTED = "defense-rejected";

  private final Vertx vertx;
  private final Connection nats;
  private final JetStream jetStream;

  DeadLetters(Vertx vertx, Connection nats) throws IOException {
    this.vertx = vertx;
    this.nats = nats;
    this.jetStream = nats.jetStream();
  }

  Future<PublishAck> publish(Message original, String reason, String explanation) {
    try {
      NatsHeaders headers = new NatsHeaders()
          .put(NatsHeaders.DLQ_REASON, explanation)
          .put(NatsHeaders.DLQ_SUBJECT, Subjects.asPublished(original.getSubject()))
          .put(NatsHeaders.DLQ_DELIVERIES, deliveries(original));
      byte[] body = fitting(original.getData(), headers);
      return Future.fromCompletionStage(jetStream.publishAsync(Subjects.deadLetter(reason), headers.headers(), body),
          vertx.getOrCreateContext());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The event's bytes, or as many of them as fit the server's {@code max_payload} beside the headers. */
  private byte[] fitting(byte[] data, NatsHeaders headers) {
    long maxPayload = nats.getMaxPayload();
    if (data == null || maxPayload <= 0 || data.length + headers.headers().serializedLength() <= maxPayload) {
      return data;
    }
    headers.put(NatsHeaders.DLQ_ORIGINAL_BYTES, data.length);
    long room = Math.max(0, maxPayload - headers.headers().serializedLength());
    return Arrays.copyOf(data, (int) Math.min(room, data.length));
  }

  private static long deliveries(Message message) {
    return message.isJetStream() ? message.metaData().deliveredCount() : 1;
  }
}
