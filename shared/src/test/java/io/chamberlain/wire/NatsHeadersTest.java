package io.chamberlain.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.testkit.NatsTestServer;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one header-value rule ({@link NatsHeaders#value}) against jnats' own validation (real {@link
 * Headers} are built with every result) and through a real nats-server and back: whatever the text,
 * the value is accepted, bounded, and reads back as the text (or its marked beginning when cut).
 */
class NatsHeadersTest {

  /** A quoted 100 KB id as Ids quotes it (cut at 80 with '…'), and the id itself with an 'ø' at the end. */
  private static final String HUGE = "x".repeat(100 * 1024 - 1) + "ø";
  private static final String REASON = "contextId '" + "x".repeat(80) + "…' is " + HUGE.length()
      + " characters long (at most 64)";

  private static List<String> texts() {
    List<String> texts = new ArrayList<>(Arrays.asList(
        null, "", "plain", "dc.tool001.1.completed", "dc.tøol001.1.completed", REASON, HUGE,
        "x".repeat(100 * 1024), "ø".repeat(600), "a%b", "100%", "%C3%B8 is not ø", "%!truncated:5",
        " leading", "trailing ", "   ", " ", "in side", "line\nbreak\r\nand\ttab", "nul\0 del\u007f esc\u001b",
        "snow ☃ and 𝄞 (outside the BMP)", "é", "\u00a0no-break spaces\u00a0", "colon: value", "\uFEFF"));
    // Around the bound: the cut must never split an escape or a character.
    for (int length = NatsHeaders.MAX_VALUE_LENGTH - 30; length <= NatsHeaders.MAX_VALUE_LENGTH + 3; length++) {
      texts.add("a".repeat(length));
      texts.add("a".repeat(Math.max(0, length - 1)) + "ø");
      texts.add("ø" + "a".repeat(Math.max(0, length - 3)) + " ");
    }
    return texts;
  }

  @Test
  void jnatsRefusesWhatTheIssueSawAndTakesEveryValueOfTheRule() {
    assertThrows(IllegalArgumentException.class, () -> new Headers().put(NatsHeaders.DLQ_SUBJECT, "dc.tøol001.1.completed"),
        "jnats refuses non-ASCII values (the dead letter that was never written)");
    assertThrows(IllegalArgumentException.class, () -> new Headers().put(NatsHeaders.DLQ_REASON, REASON));
    assertThrows(IllegalArgumentException.class, () -> new Headers().put(NatsHeaders.DLQ_REASON, "a\nb"));
    for (String text : texts()) {
      String value = NatsHeaders.value(text);
      assertValid(text, value);
      Headers headers = new NatsHeaders().put(NatsHeaders.DLQ_REASON, text).headers(); // jnats validates here
      assertEquals(value, headers.getFirst(NatsHeaders.DLQ_REASON));
      assertReadsBack(text, value, NatsHeaders.text(value));
    }
  }

  @Test
  void printableAsciiStaysAsItIsAndTheRestIsPercentEncodedUtf8() {
    assertEquals("event for chamber tool001:2 was published on dc.tool001.1.completed",
        NatsHeaders.value("event for chamber tool001:2 was published on dc.tool001.1.completed"));
    assertEquals("dc.t%C3%B8ol001.1.completed", NatsHeaders.value("dc.tøol001.1.completed"));
    assertEquals("a%0Ab%25", NatsHeaders.value("a\nb%"));
    assertEquals("%20in side%20", NatsHeaders.value(" in side "));
    assertEquals("%F0%9D%84%9E", NatsHeaders.value("𝄞"));
    assertEquals("ctx-42", NatsHeaders.value("ctx-42"), "an id, the dedupe id, is its own value");
    assertEquals("", NatsHeaders.value(null));
    assertEquals("?", NatsHeaders.text(NatsHeaders.value("\uD800")), "a lone surrogate: as UTF-8 writes it");
  }

  @Test
  void aLongValueKeepsItsBeginningAndSaysItWasCut() {
    String text = "contextId '…' " + HUGE;
    String value = NatsHeaders.value(text);
    assertEquals(NatsHeaders.MAX_VALUE_LENGTH, value.length(), value);
    assertTrue(value.endsWith("xxx" + NatsHeaders.TRUNCATED + text.length()), value);
    assertTrue(value.startsWith("contextId '%E2%80%A6' xxx"), "the '…' escaped: " + value);
    assertTrue(NatsHeaders.isTruncated(value));
    assertTrue(text.startsWith(NatsHeaders.text(value)));
    // 3 + 6 × 167 + 16 (the mark) = 1021 ≤ 1024 < 1027: whole characters only, never a split escape.
    assertEquals("%20" + "%C3%B8".repeat(167) + NatsHeaders.TRUNCATED + 1001, NatsHeaders.value(" " + "ø".repeat(1000)));
    assertFalse(NatsHeaders.isTruncated(NatsHeaders.value("%!truncated:5")), "the mark in the text is escaped");
    assertEquals("%!truncated:5", NatsHeaders.text(NatsHeaders.value("%!truncated:5")));
  }

  @Test
  void readersTakeOtherWritersValuesAsTheyAre() {
    assertEquals("100% sure", NatsHeaders.text("100% sure"));
    assertEquals("%zz %4", NatsHeaders.text("%zz %4"));
    assertEquals("%٣٣", NatsHeaders.text("%٣٣"), "only ASCII hex digits make an escape");
    assertEquals(null, NatsHeaders.read(new Headers(), NatsHeaders.DLQ_REASON));
    assertEquals(null, NatsHeaders.text(null));
  }

  /** Any text at all, seeded: controls, surrogate pairs, lone surrogates, long runs. */
  @Test
  void randomTextsAreAlwaysValidAndReadBack() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int n = 0; n < 2_000; n++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(10) == 0 ? random.nextInt(5_000) : random.nextInt(60);
      for (int i = 0; i < length; i++) {
        int kind = random.nextInt(5);
        int codePoint = switch (kind) {
          case 0 -> random.nextInt(0x80);
          case 1 -> 0x20 + random.nextInt(0x5F);
          case 2 -> 0x80 + random.nextInt(0x800);
          case 3 -> 0x10000 + random.nextInt(0x1000);
          default -> random.nextInt(0x10000);
        };
        text.appendCodePoint(codePoint);
      }
      String value = NatsHeaders.value(text.toString());
      String context = "seed " + seed + ", text " + n;
      new Headers().put(NatsHeaders.DLQ_REASON, value);
      assertValid(context, value);
      String back = NatsHeaders.text(value);
      if (!hasLoneSurrogate(text)) {
        assertReadsBack(text.toString(), value, back);
      }
    }
  }

  /** The whole way: published with the headers, received from a real nats-server, read back. */
  @Test
  void everyValueSurvivesARealServerAndReadsBack() throws Exception {
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      Subscription subscription = nats.subscribe("headers.test");
      List<String> texts = texts();
      for (String text : texts) {
        nats.publish(NatsMessage.builder().subject("headers.test").data(new byte[] {1})
            .headers(new NatsHeaders().put(NatsHeaders.DLQ_REASON, text).put(NatsHeaders.DLQ_DELIVERIES, 3).headers())
            .build());
      }
      for (String text : texts) {
        Message message = subscription.nextMessage(Duration.ofSeconds(10));
        assertNotNull(message, "received");
        String value = message.getHeaders().getFirst(NatsHeaders.DLQ_REASON);
        assertEquals(NatsHeaders.value(text), value, "unchanged on the wire (nothing trimmed)");
        assertReadsBack(text, value, NatsHeaders.read(message.getHeaders(), NatsHeaders.DLQ_REASON));
        assertEquals("3", NatsHeaders.read(message.getHeaders(), NatsHeaders.DLQ_DELIVERIES));
      }
    }
  }

  /**
   * jnats hands a received non-ASCII subject over one sign-extended byte per char; the dead letter's
   * subject header must name the subject as published, so a replay can publish it there again.
   */
  @Test
  void aNonAsciiSubjectIsReadBackAsPublished() throws Exception {
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      Subscription subscription = nats.subscribe("dc.>");
      for (String subject : List.of("dc.tøol001.1.completed", "dc.tool001.1.completed", "dc.工具.𝄞.completed")) {
        nats.publish(subject, new byte[] {1});
        Message message = subscription.nextMessage(Duration.ofSeconds(10));
        assertNotNull(message, subject);
        String received = Subjects.asPublished(message.getSubject());
        assertEquals(subject, received);
        String value = new NatsHeaders().put(NatsHeaders.DLQ_SUBJECT, received).headers().getFirst(NatsHeaders.DLQ_SUBJECT);
        assertEquals(subject, NatsHeaders.text(value));
      }
    }
    assertEquals("dc.t\uFFC3\uFFB8ol001.1.completed".translateEscapes().length(), "dc.tøol001.1.completed".length() + 1,
        "what jnats hands over for 'ø': two chars, one per byte");
    assertEquals("dc.tøol001.1.completed", Subjects.asPublished("dc.t\uFFC3\uFFB8ol001.1.completed".translateEscapes()));
    assertEquals("dc.tøol001", Subjects.asPublished("dc.tøol001"), "text jnats did not widen stays as it is");
    assertEquals(null, Subjects.asPublished(null));
  }

  private static void assertValid(String context, String value) {
    assertTrue(value.length() <= NatsHeaders.MAX_VALUE_LENGTH, context + ": " + value.length() + " characters");
    assertTrue(value.chars().allMatch(c -> c >= 0x20 && c < 0x7F), context + ": printable ASCII only: " + value);
    assertEquals(value.strip(), value, context + ": nothing a reader would trim");
  }

  private static void assertReadsBack(String text, String value, String back) {
    String expected = text == null ? "" : text;
    if (NatsHeaders.isTruncated(value)) {
      assertTrue(expected.length() > NatsHeaders.MAX_VALUE_LENGTH / 9, "cut only when long: " + value);
      assertTrue(expected.startsWith(back), "the cut value reads back as the text's beginning");
      assertTrue(back.length() >= NatsHeaders.MAX_VALUE_LENGTH / 10, "kept most of what fits: " + back.length());
      assertTrue(value.endsWith(NatsHeaders.TRUNCATED + expected.length()), value);
    } else {
      assertEquals(expected, back);
    }
  }

  private static boolean hasLoneSurrogate(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1)))) {
        return true;
      }
      if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
        return true;
      }
    }
    return false;
  }
}
