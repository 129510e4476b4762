package io.chamberlain.wire;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.domain.Ids;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The completion event's JSON form, and the one place that decides whether an incoming message
 * is a valid completion. Anything else is a {@link Rejection} with a reason token (used in the
 * dead-letter subject) and a message for the operator.
 *
 * <pre>{"toolId":"tool001","chamberId":"1","contextId":"ctx-42","completedAt":1700000000000,"traceRef":"ctx-42"}</pre>
 */
public final class CompletionCodec {

  /** Why a message could not be accepted; {@code reason} is a subject token, {@code message} says what was wrong. */
  public record Rejection(String reason, String message) {
    public static final String BAD_SUBJECT = "bad-subject";
    public static final String MALFORMED_JSON = "malformed-json";
    public static final String INVALID_FIELD = "invalid-field";
    public static final String SUBJECT_MISMATCH = "subject-mismatch";
    /** More bytes than the gateway's {@code ingest.maxEventBytes}: refused without being read. */
    public static final String TOO_LARGE = "too-large";
  }

  /** Either an event or the reason there is none. */
  public record Decoded(CompletionEvent event, Rejection rejection) {
    static Decoded ok(CompletionEvent event) {
      return new Decoded(event, null);
    }

    static Decoded rejected(String reason, String message) {
      return new Decoded(null, new Rejection(reason, message));
    }

    public boolean isValid() {
      return event != null;
    }
  }

  private CompletionCodec() {
  }

  public static JsonObject toJson(CompletionEvent event) {
    JsonObject json = new JsonObject()
        .put("toolId", event.chamber().toolId())
        .put("chamberId", event.chamber().chamberId())
        .put("contextId", event.contextId())
        .put("completedAt", event.completedAt());
    if (event.traceRef() != null) {
      json.put("traceRef", event.traceRef());
    }
    return json;
  }

  /** Validates a JSON object that is already known to be JSON (e.g. received over the event bus). */
  public static CompletionEvent fromJson(JsonObject json) {
    Decoded decoded = fromJsonChecked(json);
    if (!decoded.isValid()) {
      throw new IllegalArgumentException(decoded.rejection().message());
    }
    return decoded.event();
  }

  /**
   * Decodes a message received on {@code subject}: its size, the shape of the subject, JSON, fields,
   * and their agreement.
   *
   * @param maxBytes the largest payload read ({@code ingest.maxEventBytes}); a larger one is {@link Rejection#TOO_LARGE}
   */
  public static Decoded decode(String subject, byte[] data, int maxBytes) {
    byte[] payload = data == null ? new byte[0] : data;
    if (payload.length > maxBytes) {
      return Decoded.rejected(Rejection.TOO_LARGE, "payload on " + subject + " is " + payload.length
          + " bytes, more than the limit of " + maxBytes + " bytes (ingest.maxEventBytes)");
    }
    String[] tokens = subject.split("\\.", -1);
    boolean inLane = tokens.length == 5 && isLaneToken(tokens[4]); // mapped to its lane by the server
    if ((tokens.length != 4 && !inLane) || !tokens[0].equals("dc") || !tokens[3].equals("completed")) {
      return Decoded.rejected(Rejection.BAD_SUBJECT,
          "subject '" + subject + "' is not of the form dc.{toolId}.{chamberId}.completed");
    }
    JsonObject json;
    try {
      json = new JsonObject(Buffer.buffer(payload));
    } catch (DecodeException | ClassCastException e) {
      return Decoded.rejected(Rejection.MALFORMED_JSON,
          "payload on " + subject + " is not a JSON object: " + firstLine(e.getMessage()));
    }
    Decoded decoded = fromJsonChecked(json);
    if (!decoded.isValid()) {
      return decoded;
    }
    ChamberKey chamber = decoded.event().chamber();
    if (!chamber.toolId().equals(tokens[1]) || !chamber.chamberId().equals(tokens[2])) {
      return Decoded.rejected(Rejection.SUBJECT_MISMATCH, "event for chamber " + chamber
          + " was published on " + subject + " (subject and body must name the same chamber)");
    }
    return decoded;
  }

  /** A lane number as nats-server's partition mapping writes it (see {@link Subjects#COMPLETED_IN_LANES}). */
  private static boolean isLaneToken(String token) {
    return !token.isEmpty() && token.length() <= 3 && token.chars().allMatch(Character::isDigit);
  }

  private static Decoded fromJsonChecked(JsonObject json) {
    try {
      ChamberKey chamber = new ChamberKey(text(json, "toolId"), text(json, "chamberId"));
      String contextId = Ids.require("contextId", text(json, "contextId"));
      Object completedAt = json.getValue("completedAt");
      if (!(completedAt instanceof Number number) || number.doubleValue() != number.longValue()) {
        return Decoded.rejected(Rejection.INVALID_FIELD,
            "completedAt must be epoch milliseconds (an integer), was " + describe(completedAt));
      }
      Object traceRef = json.getValue("traceRef");
      if (traceRef != null && !(traceRef instanceof String)) {
        return Decoded.rejected(Rejection.INVALID_FIELD, "traceRef must be text, was " + describe(traceRef));
      }
      return Decoded.ok(new CompletionEvent(chamber, contextId,
          number.longValue(), (String) traceRef));
    } catch (IllegalArgumentException e) {
      return Decoded.rejected(Rejection.INVALID_FIELD, e.getMessage());
    }
  }

  private static String text(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw new Ids.InvalidIdException(field + " must be text, was " + describe(value));
    }
    return (String) value;
  }

  private static String describe(Object value) {
    return value == null ? "missing" : value.getClass().getSimpleName() + " " + value;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unparseable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
