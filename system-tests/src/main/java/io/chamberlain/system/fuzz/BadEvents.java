package io.chamberlain.system.fuzz;

import io.chamberlain.defense.TraceCodec;
import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.wire.CompletionCodec.Rejection;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of completion events of every kind of bad input — and the good ones they are
 * mixed with — each with the reason token it must be dead-lettered under. The one source of bad
 * events for the codec's fuzz test, the end-to-end fuzz test and {@code bin/chamberlain fuzz}: the
 * same seed gives the same events (contextIds included), so a failure replays.
 *
 * <p>Events are built for a gateway with default limits ({@code ingest.maxEventBytes} 64 KiB,
 * {@code ingest.maxClockSkewMillis} 60 s, {@code ingest.maxEventAgeSeconds} 7 days) at the clock
 * {@code now} given to {@link #next}.
 */
public final class BadEvents {

  /** What an event is, and the reason it must be dead-lettered under ({@code null}: it must be judged). */
  public enum Kind {
    GOOD(null),
    /** A newer collector's extra fields are tolerated: judged. */
    EXTRA_FIELDS(null),
    /**
     * completedAt from a backlog catch-up (10 to 50 minutes old: inside any age limit of an hour or more,
     * the shortest stream retention the tests use): judged.
     */
    OLD_BUT_KEPT(null),
    WILDCARD_SUBJECT(Rejection.INVALID_FIELD),
    DOTTED_ID(Rejection.INVALID_FIELD),
    UNICODE_ID(Rejection.INVALID_FIELD),
    EMPTY_TOKEN(Rejection.INVALID_FIELD),
    LONG_TOKEN(Rejection.INVALID_FIELD),
    SUBJECT_MISMATCH(Rejection.SUBJECT_MISMATCH),
    MALFORMED_JSON(Rejection.MALFORMED_JSON),
    NOT_AN_OBJECT(Rejection.MALFORMED_JSON),
    DUPLICATE_KEY(Rejection.MALFORMED_JSON),
    DEEP_NESTING(Rejection.MALFORMED_JSON),
    WRONG_TYPE(Rejection.INVALID_FIELD),
    MISSING_FIELD(Rejection.INVALID_FIELD),
    HUGE_STRING(Rejection.INVALID_FIELD),
    NUMBER_OUT_OF_RANGE(Rejection.INVALID_FIELD),
    IN_FUTURE(Rejection.IN_FUTURE),
    TOO_OLD(Rejection.TOO_OLD),
    TOO_LARGE(Rejection.TOO_LARGE),
    TRACE_MISSING(Rejection.TRACE_MISSING),
    TRACE_TRUNCATED(Rejection.TRACE_CORRUPT),
    TRACE_CORRUPT(Rejection.TRACE_CORRUPT);

    private final String reason;

    Kind(String reason) {
      this.reason = reason;
    }

    /** The reason token it is dead-lettered under, or {@code null} if it must be judged. */
    public String reason() {
      return reason;
    }

    /** Refused by the gateway's codec, before any defender sees it. */
    public boolean refusedAtTheGateway() {
      return reason != null && !reason.startsWith("trace-");
    }
  }

  /**
   * One event: where to publish it, its bytes, and — for the trace kinds and good events with a stored
   * trace — the object-store entry to write first ({@code traceBytes} null: nothing stored).
   */
  public record Case(Kind kind, ProfileRef target, String subject, byte[] payload, String contextId,
      String traceRef, byte[] traceBytes) {
  }

  /** The chamber an event is meant for (its profile: what a valid stored trace of it looks like). */
  public record ProfileRef(ChamberProfile profile) {
  }

  public static final int MAX_EVENT_BYTES = 64 * 1024;
  private static final long DAY_MILLIS = 24 * 3600 * 1000L;

  private final Random random;
  private final String runTag;
  private final TraceGenerator traces = new TraceGenerator(new TraceGenerator.Settings(7, 0.0, 1));
  private long serial;

  /** @param runTag makes every contextId of this run unique (the verdict stream dedupes by contextId) */
  public BadEvents(long seed, String runTag) {
    this.random = new Random(seed);
    this.runTag = runTag;
  }

  /** A random kind, good and bad alike. */
  public Kind anyKind() {
    Kind[] kinds = Kind.values();
    return kinds[random.nextInt(kinds.length)];
  }

  /** A random bad kind. */
  public Kind badKind() {
    List<Kind> bad = Arrays.stream(Kind.values()).filter(kind -> kind.reason() != null).toList();
    return bad.get(random.nextInt(bad.size()));
  }

  /** A valid event of {@code profile}'s chamber, without a stored trace (a generated one is judged). */
  public Case good(ChamberProfile profile, long now) {
    return next(Kind.GOOD, profile, now);
  }

  /** An event of {@code kind} aimed at {@code profile}'s chamber, built at the gateway's clock {@code now}. */
  public Case next(Kind kind, ChamberProfile profile, long now) {
    String tool = profile.chamber().toolId();
    String chamber = profile.chamber().chamberId();
    String contextId = "fz-" + runTag + "-" + (++serial) + "-" + kind.name().toLowerCase().replace('_', '-');
    String subject = "dc." + tool + "." + chamber + ".completed";
    JsonObject body = new JsonObject().put("toolId", tool).put("chamberId", chamber).put("contextId", contextId)
        .put("completedAt", now - random.nextInt(5_000));
    String traceRef = null;
    byte[] traceBytes = null;
    byte[] payload = null;
    switch (kind) {
      case GOOD -> {
        if (random.nextBoolean()) { // half with a stored trace, half with a generated one
          traceRef = contextId;
          traceBytes = TraceCodec.encode(traces.generate(profile, contextId).trace());
        }
      }
      case EXTRA_FIELDS -> body.put("recipe", new JsonObject().put("step", random.nextInt(40)).put("note", "ø"))
          .put("lot", "L" + random.nextInt(1000));
      case OLD_BUT_KEPT -> body.put("completedAt", now - (10 + random.nextInt(40)) * 60_000L);
      case WILDCARD_SUBJECT -> { // a literal '*' token (the stream's filter lets it in), or '>' inside a token
        String id = random.nextBoolean() ? "*" : tool + ">";
        body.put("toolId", id);
        subject = "dc." + id + "." + chamber + ".completed";
      }
      case DOTTED_ID -> // a dot in the subject would make another token the stream does not take: in the body
          body.put(random.nextBoolean() ? "chamberId" : "contextId", chamber + ".x");
      case UNICODE_ID -> {
        String id = pick("tøol", "工具", "t\u00e9", "t\u200bx", "\uD83D\uDE00");
        body.put("toolId", id);
        subject = "dc." + id + "." + chamber + ".completed";
      }
      case EMPTY_TOKEN -> body.put(random.nextBoolean() ? "contextId" : "chamberId", "");
      case LONG_TOKEN -> {
        String id = "t".repeat(65 + random.nextInt(200));
        body.put("toolId", id);
        subject = "dc." + id + "." + chamber + ".completed";
      }
      case SUBJECT_MISMATCH -> body.put("chamberId", chamber + "x");
      case MALFORMED_JSON -> payload = pick("{", "{\"toolId\":", "not json", "{\"toolId\":\"" + tool + "\",}",
          "\u0000\u0001", "{\"toolId\":\"" + tool + "\"} trailing", "{'toolId':'x'}", "{\"completedAt\":NaN}",
          "\u00ff\u00fe{}").getBytes(StandardCharsets.UTF_8);
      case NOT_AN_OBJECT -> payload = pick("[]", "null", "42", "\"text\"", "").getBytes(StandardCharsets.UTF_8);
      case DUPLICATE_KEY -> {
        String encoded = body.encode();
        payload = (encoded.substring(0, encoded.length() - 1) + ",\"chamberId\":\"other\"}").getBytes(StandardCharsets.UTF_8);
      }
      case DEEP_NESTING -> {
        int depth = 17 + random.nextInt(2_000);
        String encoded = body.encode();
        payload = (encoded.substring(0, encoded.length() - 1) + ",\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
            .getBytes(StandardCharsets.UTF_8);
      }
      case WRONG_TYPE -> {
        switch (random.nextInt(5)) {
          case 0 -> body.put("toolId", random.nextInt(100));
          case 1 -> body.put("chamberId", new JsonObject());
          case 2 -> body.put("contextId", true);
          case 3 -> body.put("completedAt", "yesterday");
          default -> body.put("traceRef", 17);
        }
      }
      case MISSING_FIELD -> body.remove(pick("toolId", "chamberId", "contextId", "completedAt"));
      case HUGE_STRING -> body.put(random.nextBoolean() ? "contextId" : "traceRef", "h".repeat(300 + random.nextInt(60_000)));
      case NUMBER_OUT_OF_RANGE -> {
        String number = pick("-1", "0", "1.5", "1e400", "-9223372036854775809", "18446744073709551616", "-0.0");
        String encoded = body.copy().put("completedAt", "#").encode();
        payload = encoded.replace("\"#\"", number).getBytes(StandardCharsets.UTF_8);
      }
      case IN_FUTURE -> body.put("completedAt", random.nextBoolean()
          ? now + 3_600_000L + random.nextInt(1_000_000) : now * 1000); // an hour ahead; microseconds
      case TOO_OLD -> body.put("completedAt", random.nextBoolean() ? now - 30 * DAY_MILLIS : 1 + random.nextInt(1_000_000));
      case TOO_LARGE -> body.put("padding", "p".repeat(MAX_EVENT_BYTES + random.nextInt(100_000)));
      case TRACE_MISSING -> traceRef = contextId; // nothing stored
      case TRACE_TRUNCATED -> {
        traceRef = contextId;
        byte[] whole = TraceCodec.encode(traces.generate(profile, contextId).trace());
        traceBytes = Arrays.copyOf(whole, random.nextInt(whole.length)); // 0 … length-1 bytes
      }
      case TRACE_CORRUPT -> {
        traceRef = contextId;
        if (random.nextBoolean()) {
          traceBytes = new byte[1 + random.nextInt(4_096)];
          random.nextBytes(traceBytes);
        } else {
          traceBytes = TraceCodec.encode(traces.generate(profile, contextId).trace());
          traceBytes[TraceCodec.HEADER_BYTES + random.nextInt(traceBytes.length - TraceCodec.HEADER_BYTES)] ^= 0x10;
        }
      }
    }
    if (traceRef != null) {
      body.put("traceRef", traceRef);
    }
    if (payload == null) {
      payload = body.encode().getBytes(StandardCharsets.UTF_8);
    }
    return new Case(kind, new ProfileRef(profile), subject, payload, contextId, traceRef, traceBytes);
  }

  /** Random bytes, for the codec's fuzz: anything at all, short or long. */
  public byte[] noise() {
    byte[] bytes = new byte[random.nextInt(random.nextBoolean() ? 64 : 2_048)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** {@code valid} with a few random byte flips, insertions, deletions or a doubled slice. */
  public byte[] mutated(byte[] valid) {
    byte[] bytes = valid.clone();
    for (int i = 0, n = 1 + random.nextInt(4); i < n && bytes.length > 0; i++) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(4)) {
        case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> bytes = splice(bytes, at, at, new byte[] {(byte) pick("\"", "{", "}", ",", ":", "\\", "\u00ff", "0", " ").charAt(0)});
        case 2 -> bytes = splice(bytes, at, Math.min(bytes.length, at + 1 + random.nextInt(8)), new byte[0]);
        default -> {
          int end = Math.min(bytes.length, at + 1 + random.nextInt(16));
          bytes = splice(bytes, at, at, Arrays.copyOfRange(bytes, at, end));
        }
      }
    }
    return bytes;
  }

  /**
   * {@code body} written another way that must decode to the same event: keys reordered, whitespace
   * between tokens, a character of a string escaped as {@code \\uXXXX}, an extra field.
   */
  public byte[] rewritten(JsonObject body) {
    List<String> keys = new java.util.ArrayList<>(body.fieldNames());
    java.util.Collections.shuffle(keys, random);
    StringBuilder json = new StringBuilder(space()).append('{');
    for (int i = 0; i < keys.size(); i++) {
      Object value = body.getValue(keys.get(i));
      String encoded = value instanceof String text ? escapedSometimes(text) : String.valueOf(value);
      json.append(i == 0 ? "" : ",").append(space()).append('"').append(keys.get(i)).append('"').append(space())
          .append(':').append(space()).append(encoded).append(space());
    }
    if (random.nextBoolean()) {
      json.append(",\"extra").append(random.nextInt(100)).append("\":[1,{\"a\":null}]");
    }
    return json.append('}').append(space()).toString().getBytes(StandardCharsets.UTF_8);
  }

  private String escapedSometimes(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      out.append(random.nextInt(4) == 0 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.append('"').toString();
  }

  private String space() {
    return pick("", "", " ", "\n", "\t ", "\r\n");
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }

  private static byte[] splice(byte[] bytes, int from, int to, byte[] insert) {
    byte[] out = new byte[bytes.length - (to - from) + insert.length];
    System.arraycopy(bytes, 0, out, 0, from);
    System.arraycopy(insert, 0, out, from, insert.length);
    System.arraycopy(bytes, to, out, from + insert.length, bytes.length - to);
    return out;
  }
}
