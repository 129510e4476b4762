package io.chamberlain.wire;

import io.nats.client.impl.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Every NATS header Chamberlain writes — the names, defined once — and the one rule that turns any
 * text into a header value NATS takes. Every header is written through {@link #put}, so a value
 * made of what an event brought (a subject with an 'ø', a 100 KB id quoted in a reason) can never
 * make a publish throw: a dead letter that cannot be published is an event redelivered forever.
 *
 * <p><b>What jnats accepts</b> ({@code Headers.validateKeyAndCollect}, 2.26): a value may hold any
 * {@code char} up to {@code 0x7F} except CR and LF, else {@code IllegalArgumentException: Header
 * value has invalid character}. A reader ({@code IncomingHeadersProcessor}, {@code Token}) decodes
 * the bytes as US-ASCII and trims the value, so spaces at either end do not come back.
 *
 * <p><b>The rule</b> ({@link #value}): printable ASCII ({@code 0x20}–{@code 0x7E}) stays as it is,
 * so a reason reads plainly in {@code nats sub}; every other character — controls, DEL, anything
 * beyond ASCII — and {@code %} itself, and a space at either end, is written as the {@code %XX} of
 * each of its UTF-8 bytes (percent-encoding: {@code ø} → {@code %C3%B8}, LF → {@code %0A}). A value
 * longer than {@link #MAX_VALUE_LENGTH} keeps its first characters (never half an escape or half a
 * character) and ends in {@code %!truncated:N}, N the length of the whole text in {@code char}s:
 * {@code %!} never comes out of the escaping, so the mark cannot be mistaken for text. Null is the
 * empty value. {@link #text} reverses it: the text exactly, or its kept beginning when cut ({@link
 * #isTruncated}); it reads any other writer's value too (a {@code %} not starting an escape stays).
 * Not reversible: a lone UTF-16 surrogate (encoded as UTF-8 does, as {@code ?}).
 *
 * <p>Values that must stay what they are — the dedupe id, a count — are ids and digits already, which
 * the rule leaves unchanged. Names are these constants only (jnats refuses a name with a character
 * outside {@code !}–{@code ~} or a {@code :}).
 */
public final class NatsHeaders {

  /** JetStream's de-duplication id: a second publish with the same id within the window is dropped. */
  public static final String MSG_ID = "Nats-Msg-Id";
  /** Dead letter: why the event was dead-lettered (for the operator, in plain words). */
  public static final String DLQ_REASON = "Chamberlain-Dlq-Reason";
  /** Dead letter: the subject the event was originally published to. */
  public static final String DLQ_SUBJECT = "Chamberlain-Dlq-Subject";
  /** Dead letter: the number of deliveries before the event was given up. */
  public static final String DLQ_DELIVERIES = "Chamberlain-Dlq-Deliveries";
  /**
   * Dead letter: present only when the dead letter holds the beginning of the event's bytes, not all
   * of them (they and the headers would not fit the server's {@code max_payload}): the event's size in bytes.
   */
  public static final String DLQ_ORIGINAL_BYTES = "Chamberlain-Dlq-Original-Bytes";

  /** The longest value written, in characters (= bytes: values are ASCII). */
  public static final int MAX_VALUE_LENGTH = 1024;
  /** Ends a value that was cut, followed by the length of the whole text. */
  public static final String TRUNCATED = "%!truncated:";

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final Headers headers = new Headers();

  /** Headers to fill with {@link #put}. */
  public NatsHeaders() {
  }

  /** Headers that hold only {@link #MSG_ID} = {@code id}. */
  public static Headers msgId(String id) {
    return new NatsHeaders().put(MSG_ID, id).headers();
  }

  /**
   * Sets header {@code name} to {@code text} made a valid value ({@link #value}); never throws for
   * any text.
   *
   * @param name one of this class's header names
   */
  public NatsHeaders put(String name, String text) {
    headers.put(name, value(text));
    return this;
  }

  /** Sets header {@code name} to a number. */
  public NatsHeaders put(String name, long number) {
    return put(name, Long.toString(number));
  }

  /** The jnats headers, to publish with. */
  public Headers headers() {
    return headers;
  }

  /**
   * {@code text} as a valid NATS header value: printable ASCII, at most {@link #MAX_VALUE_LENGTH}
   * characters (see the class comment). Never throws; null is the empty value.
   */
  public static String value(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String mark = TRUNCATED + text.length();
    int budget = MAX_VALUE_LENGTH - mark.length();
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_VALUE_LENGTH) + 16);
    int keep = 0; // length of out after the last whole character that fits the budget with the mark
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      int next = i + Character.charCount(codePoint);
      if (isPlain(codePoint, i == 0, next == text.length())) {
        out.append((char) codePoint);
      } else {
        escape(codePoint, out);
      }
      if (out.length() > MAX_VALUE_LENGTH) {
        return out.substring(0, keep) + mark;
      }
      if (out.length() <= budget) {
        keep = out.length();
      }
      i = next;
    }
    return out.toString();
  }

  /**
   * The text a value written by {@link #value} stands for — its kept beginning if it was cut.
   * Lenient with values from other writers: what is not an escape stays as it is. Null for null.
   */
  public static String text(String value) {
    if (value == null) {
      return null;
    }
    int mark = value.indexOf(TRUNCATED);
    int end = mark < 0 ? value.length() : mark;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(end);
    for (int i = 0; i < end; ) {
      int escaped = value.charAt(i) == '%' && i + 2 < end ? hexByte(value.charAt(i + 1), value.charAt(i + 2)) : -1;
      if (escaped >= 0) {
        bytes.write(escaped);
        i += 3;
      } else {
        int codePoint = value.codePointAt(i);
        bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(codePoint);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Whether {@code value} was cut to {@link #MAX_VALUE_LENGTH} ({@link #text} is then the beginning). */
  public static boolean isTruncated(String value) {
    return value != null && value.contains(TRUNCATED);
  }

  /** The text of header {@code name} ({@link #text} of its first value), or null if there is none. */
  public static String read(Headers headers, String name) {
    return headers == null ? null : text(headers.getFirst(name));
  }

  /** Written as it is: printable ASCII but the escape character, and a space only inside the value. */
  private static boolean isPlain(int codePoint, boolean first, boolean last) {
    if (codePoint == ' ') {
      return !first && !last;
    }
    return codePoint > ' ' && codePoint < 0x7F && codePoint != '%';
  }

  /** The byte two hex digits stand for, or -1 if they are not two hex digits. */
  private static int hexByte(char high, char low) {
    int h = hexDigit(high);
    int l = hexDigit(low);
    return h < 0 || l < 0 ? -1 : h << 4 | l;
  }

  /** An ASCII hex digit's value, else -1 ({@code Character.digit} would take other scripts' digits too). */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }

  private static void escape(int codePoint, StringBuilder out) {
    for (byte b : Character.toString(codePoint).getBytes(StandardCharsets.UTF_8)) {
      out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }
  }
}
