package io.chamberlain.system.live;

import io.nats.client.impl.Headers;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * A completion event on the wire, written the way an independent data collector would — from
 * DESIGN.md ("Completion event"), not from the product's code: no {@code CompletionCodec},
 * {@code Subjects} or {@code CompletionEvent} here, so a drift in the product's wire format shows
 * up as a failing scenario instead of being followed silently.
 *
 * <ul>
 *   <li>subject {@code dc.{toolId}.{chamberId}.completed};
 *   <li>body {@code {"toolId","chamberId","contextId","completedAt"}} (epoch ms), UTF-8 JSON;
 *   <li>header {@code Nats-Msg-Id = contextId}, so JetStream drops a retried publish.
 * </ul>
 */
public final class CompletionWire {

  /** JetStream's de-duplication header. */
  public static final String MSG_ID_HEADER = "Nats-Msg-Id";
  private static final String SUBJECT_FORMAT = "dc.%s.%s.completed";

  private CompletionWire() {
  }

  public static String subject(String toolId, String chamberId) {
    return String.format(SUBJECT_FORMAT, toolId, chamberId);
  }

  public static byte[] body(String toolId, String chamberId, String contextId, long completedAt) {
    return body(toolId, chamberId, contextId, completedAt, null);
  }

  /** @param traceRef the name of the context's trace in the trace object store, or null for none */
  public static byte[] body(String toolId, String chamberId, String contextId, long completedAt, String traceRef) {
    JsonObject body = new JsonObject().put("toolId", toolId).put("chamberId", chamberId).put("contextId", contextId)
        .put("completedAt", completedAt);
    if (traceRef != null) {
      body.put("traceRef", traceRef);
    }
    return body.encode().getBytes(StandardCharsets.UTF_8);
  }

  public static Headers headers(String contextId) {
    return new Headers().put(MSG_ID_HEADER, contextId);
  }
}
