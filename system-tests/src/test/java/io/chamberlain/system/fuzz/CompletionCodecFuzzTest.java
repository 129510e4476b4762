package io.chamberlain.system.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.wire.CompletionCodec;
import io.chamberlain.wire.CompletionCodec.Decoded;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The gateway's one gate for completion events under tens of thousands of seeded inputs: random
 * bytes on random subjects, mutated valid events, events of every bad kind of {@link BadEvents}, and
 * valid events written another way. The codec must never throw; whatever is not an event has a known
 * reason token and a message; each generated kind gets exactly its reason; a rewrite of a valid event
 * decodes equal. {@code -Dfuzz.seed=N} replays a run, {@code -Dfuzz.cases=N} lengthens it.
 */
class CompletionCodecFuzzTest {

  private static final long NOW = System.currentTimeMillis();
  private static final CompletionCodec.Limits LIMITS = new CompletionCodec.Limits(BadEvents.MAX_EVENT_BYTES, 60_000,
      7 * 24 * 3600 * 1000L);
  private static final ChamberProfile PROFILE = new ChamberProfile(new ChamberKey("tool001", "1"), 20, 2, 10);
  private static final String[] SUBJECT_PARTS = {"dc", "completed", "tool001", "1", "", "*", ">", "ø", "工具", ".", "..",
      " ", "x".repeat(70), "\u0000", "dlq", "7"};

  @Test
  void neverThrowsAndEveryRefusalHasAKnownReasonAndAMessage() {
    long seed = Long.getLong("fuzz.seed", 20_260_413L);
    int cases = Integer.getInteger("fuzz.cases", 20_000);
    System.out.println("CompletionCodecFuzzTest: seed " + seed + ", " + cases + " cases per part (replay with -Dfuzz.seed="
        + seed + ", lengthen with -Dfuzz.cases=N)");
    Random random = new Random(seed);
    BadEvents events = new BadEvents(seed, "unit");
    Map<BadEvents.Kind, Integer> seen = new EnumMap<>(BadEvents.Kind.class);
    int mutatedValid = 0;
    for (int i = 0; i < cases; i++) {
      // 1. noise on a random subject
      String subject = randomSubject(random);
      check(subject, events.noise(), "noise #" + i + " on '" + subject + "'");

      // 2. every kind, aimed at the codec with the gateway's limits
      BadEvents.Kind kind = events.anyKind();
      BadEvents.Case generated = events.next(kind, PROFILE, NOW);
      Decoded decoded = check(generated.subject(), generated.payload(), "kind " + kind + " #" + i);
      String expected = kind.refusedAtTheGateway() ? kind.reason() : null;
      if (!java.util.Objects.equals(expected, decoded.isValid() ? null : decoded.rejection().reason())) {
        fail("kind " + kind + " #" + i + " (seed " + seed + "): " + preview(generated.payload()) + " on "
            + generated.subject() + " → " + (decoded.isValid() ? "valid" : decoded.rejection()) + ", expected " + expected);
      }
      seen.merge(kind, 1, Integer::sum);

      // 3. a valid event with random bytes changed: anything may come out, but never an exception
      BadEvents.Case good = events.good(PROFILE, NOW);
      if (check(good.subject(), events.mutated(good.payload()), "mutation #" + i).isValid()) {
        mutatedValid++;
      }

      // 4. the same valid event written another way decodes equal
      Decoded original = CompletionCodec.decode(good.subject(), good.payload(), LIMITS, NOW);
      assertTrue(original.isValid(), () -> "a good event is valid: " + original.rejection());
      byte[] rewritten = events.rewritten(new JsonObject(new String(good.payload(), StandardCharsets.UTF_8)));
      Decoded again = check(good.subject(), rewritten, "rewrite #" + i);
      int at = i;
      assertEquals(original.event(), again.event(), () -> "rewrite #" + at + " (seed " + seed + "): "
          + new String(rewritten, StandardCharsets.UTF_8) + " → " + again.rejection());
    }
    System.out.println("CompletionCodecFuzzTest: kinds " + seen + "; " + mutatedValid + " mutations stayed valid");
    assertEquals(BadEvents.Kind.values().length, seen.size(), "every kind generated");
  }

  /** Decodes without throwing; a refusal names a known reason and says something. */
  private static Decoded check(String subject, byte[] payload, String what) {
    Decoded decoded;
    try {
      decoded = CompletionCodec.decode(subject, payload, LIMITS, NOW);
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError(what + " threw " + e, e);
    }
    if (decoded.isValid()) {
      assertFalse(decoded.event().contextId().isEmpty(), what);
      return decoded;
    }
    if (!CompletionCodec.Rejection.ALL.contains(decoded.rejection().reason())) {
      fail(what + ": unknown reason " + decoded.rejection());
    }
    assertTrue(decoded.rejection().message() != null && !decoded.rejection().message().isBlank(), what);
    return decoded;
  }

  private static String preview(byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8);
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  private static String randomSubject(Random random) {
    if (random.nextInt(3) == 0) {
      return "dc.tool001.1.completed";
    }
    StringBuilder subject = new StringBuilder();
    for (int i = 0, n = random.nextInt(7); i < n; i++) {
      subject.append(i == 0 ? "" : ".").append(SUBJECT_PARTS[random.nextInt(SUBJECT_PARTS.length)]);
    }
    return subject.toString();
  }
}
