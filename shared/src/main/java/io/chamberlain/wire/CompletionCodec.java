package io.chamberlain.wire;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.domain.Ids;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.util.Map;

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
    /** {@code completedAt} later than the gateway's clock allows ({@code ingest.maxClockSkewMillis}). */
    public static final String IN_FUTURE = "in-future";
    /** {@code completedAt} older than {@code ingest.maxEventAgeSeconds}: no verdict can matter any more. */
    public static final String TOO_OLD = "too-old";
    /** The event names a trace the object store never got (after the bounded retries). */
    public static final String TRACE_MISSING = "trace-missing";
    /** The stored trace is cut short or garbage: its bytes will never change, so at once. */
    public static final String TRACE_CORRUPT = "trace-corrupt";

    /** Every reason token an event can be dead-lettered with by the codec, the gateway or a defender. */
    public static final java.util.List<String> ALL = java.util.List.of(BAD_SUBJECT, MALFORMED_JSON, INVALID_FIELD,
        SUBJECT_MISMATCH, TOO_LARGE, IN_FUTURE, TOO_OLD, TRACE_MISSING, TRACE_CORRUPT);
  }

  /**
   * What the gateway accepts besides the event's shape: its size and how far {@code completedAt} may
   * lie from the gateway's clock. An event from a backlog catch-up is old but inside {@code maxAgeMillis}
   * (tied to the stream's own retention), so it is still judged.
   */
  public record Limits(int maxBytes, long maxClockSkewMillis, long maxAgeMillis) {
    public Limits {
      if (maxBytes < 1 || maxClockSkewMillis < 0 || maxAgeMillis < 1) {
        throw new IllegalArgumentException("limits must be positive, were " + maxBytes + " bytes, "
            + maxClockSkewMillis + " ms skew, " + maxAgeMillis + " ms age");
      }
    }
  }

  /** Longest traceRef: an object-store name is a key, not a document. */
  public static final int MAX_TRACE_REF_LENGTH = 256;
  /** A completion event is flat; a few levels allow extra fields of a newer collector, not a stack of 1,000. */
  public static final int MAX_NESTING_DEPTH = 16;
  /**
   * Duplicate keys are refused (which one would count?), nesting, numbers and strings bounded before
   * anything is built: a malformed event costs parsing, never memory or a stack.
   */
  private static final JsonFactory STRICT = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING_DEPTH).maxNumberLength(64).build())
      .build();

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
    if (subject == null) {
      return Decoded.rejected(Rejection.BAD_SUBJECT, "message has no subject");
    }
    String[] tokens = subject.split("\\.", -1);
    boolean inLane = tokens.length == 5 && isLaneToken(tokens[4]); // mapped to its lane by the server
    if ((tokens.length != 4 && !inLane) || !tokens[0].equals("dc") || !tokens[3].equals("completed")) {
      return Decoded.rejected(Rejection.BAD_SUBJECT,
          "subject '" + subject + "' is not of the form dc.{toolId}.{chamberId}.completed");
    }
    JsonObject json;
    try {
      json = parse(payload);
    } catch (DecodeException | IOException | ClassCastException e) {
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

  /**
   * {@link #decode(String, byte[], int)}, then whether {@code completedAt} lies in the window the
   * gateway accepts at {@code nowMillis}: not more than {@code maxClockSkewMillis} ahead (a collector's
   * clock off by more, or a unit mix-up such as microseconds), not older than {@code maxAgeMillis}.
   */
  public static Decoded decode(String subject, byte[] data, Limits limits, long nowMillis) {
    Decoded decoded = decode(subject, data, limits.maxBytes());
    if (!decoded.isValid()) {
      return decoded;
    }
    long completedAt = decoded.event().completedAt();
    if (completedAt > nowMillis && completedAt - nowMillis > limits.maxClockSkewMillis()) {
      return Decoded.rejected(Rejection.IN_FUTURE, "completedAt " + completedAt + " of context "
          + quoted(decoded.event().contextId()) + " is " + (completedAt - nowMillis) + " ms after the gateway's clock ("
          + nowMillis + "), more than ingest.maxClockSkewMillis (" + limits.maxClockSkewMillis() + ")");
    }
    if (nowMillis - completedAt > limits.maxAgeMillis()) {
      return Decoded.rejected(Rejection.TOO_OLD, "completedAt " + completedAt + " of context "
          + quoted(decoded.event().contextId()) + " is " + (nowMillis - completedAt) / 1000
          + " s before the gateway's clock, older than ingest.maxEventAgeSeconds (" + limits.maxAgeMillis() / 1000 + ")");
    }
    return decoded;
  }

  /** One JSON object, parsed with {@link #STRICT}'s bounds; trailing content is an error. */
  @SuppressWarnings("unchecked")
  private static JsonObject parse(byte[] payload) throws IOException {
    try (JsonParser parser = STRICT.createParser(payload)) {
      Object value = JacksonCodec.fromParser(parser, Object.class);
      if (value instanceof JsonObject object) {
        return object;
      }
      if (!(value instanceof Map<?, ?> map)) {
        throw new DecodeException("expected an object, found " + (value == null ? "null" : value.getClass().getSimpleName()));
      }
      return new JsonObject((Map<String, Object>) map);
    }
  }

  private static String quoted(String id) {
    return "'" + id + "'";
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
      if (traceRef instanceof String ref && (ref.isBlank() || ref.length() > MAX_TRACE_REF_LENGTH)) {
        return Decoded.rejected(Rejection.INVALID_FIELD, "traceRef must be an object-store name of 1 to "
            + MAX_TRACE_REF_LENGTH + " characters, was " + (ref.isBlank() ? "blank" : ref.length() + " characters long"));
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
