package io.chamberlain.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gateway's window for completedAt, and the parser's bounds: a table of the edges, each row a
 * payload, the gateway's clock and what the codec must answer (a reason token, or "ok").
 */
class CompletionCodecLimitsTest {

  private static final long NOW = 1_800_000_000_000L;
  private static final long DAY = 24 * 3600 * 1000L;
  private static final CompletionCodec.Limits LIMITS = new CompletionCodec.Limits(64 * 1024, 60_000, 7 * DAY);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      now                              | 0                    | ok
      a minute ahead: within the skew  | 60000                | ok
      just beyond the skew             | 60001                | in-future
      microseconds instead of millis   | 1800000000000000     | in-future
      Long.MAX_VALUE                   | 9223372036854775807  | in-future
      six days old: a backlog catch-up | -518400000           | ok
      exactly the age limit            | -604800000           | ok
      a millisecond past the limit     | -604800001           | too-old
      """)
  void completedAtMustLieInTheWindow(String scenario, long offset, String expected) {
    long completedAt = offset > 1_000_000_000_000L ? offset : NOW + offset;
    CompletionCodec.Decoded decoded = CompletionCodec.decode("dc.t.1.completed", event("\"completedAt\":" + completedAt), LIMITS, NOW);
    assertEquals(expected, decoded.isValid() ? "ok" : decoded.rejection().reason(), scenario + ": " + decoded.rejection());
    if (!decoded.isValid()) {
      assertTrue(decoded.rejection().message().contains(expected.equals("in-future") ? "ingest.maxClockSkewMillis"
          : "ingest.maxEventAgeSeconds"), decoded.rejection().message());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      a duplicate key: which chamber?   | `"completedAt":1,"chamberId":"2"`            | malformed-json  | Duplicate field 'chamberId'
      nesting beyond the bound          | `"completedAt":1,"x":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]` | malformed-json | nesting depth
      a 100-digit number                | `"completedAt":1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000` | malformed-json | Number value length
      an empty traceRef                 | `"completedAt":1,"traceRef":""`                | invalid-field   | traceRef must be an object-store name
      a 289-character traceRef          | `"completedAt":1,"traceRef":"rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"` | invalid-field | characters long
      an extra field of a newer collector | `"completedAt":1,"recipe":{"step":[1,2]}`    | ok              |
      """)
  void theParserIsBoundedAndStrict(String scenario, String fields, String expected, String detail) {
    CompletionCodec.Decoded decoded = CompletionCodec.decode("dc.t.1.completed", event(fields), 64 * 1024);
    assertEquals(expected, decoded.isValid() ? "ok" : decoded.rejection().reason(), scenario + ": " + decoded.rejection());
    if (detail == null) {
      assertNull(decoded.rejection());
    } else {
      assertTrue(decoded.rejection().message().contains(detail), decoded.rejection().message());
    }
  }

  private static byte[] event(String fields) {
    return ("{\"toolId\":\"t\",\"chamberId\":\"1\",\"contextId\":\"c\"," + fields + "}").getBytes(StandardCharsets.UTF_8);
  }
}
