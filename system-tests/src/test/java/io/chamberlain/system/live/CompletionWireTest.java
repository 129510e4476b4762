package io.chamberlain.system.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.config.GatewayConfig;
import io.chamberlain.wire.CompletionCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The independent client's encoding, byte for byte (a golden body written from DESIGN.md), and — the
 * point of writing it apart — that the product accepts it as the same event.
 */
class CompletionWireTest {

  private static final String GOLDEN =
      "{\"toolId\":\"lt01\",\"chamberId\":\"2\",\"contextId\":\"run1-lt01-2-000007\",\"completedAt\":1700000000123}";

  @Test
  void subjectBodyAndDedupeHeaderFollowTheDesign() {
    assertEquals("dc.lt01.2.completed", CompletionWire.subject("lt01", "2"));
    assertEquals(GOLDEN, new String(CompletionWire.body("lt01", "2", "run1-lt01-2-000007", 1_700_000_000_123L),
        StandardCharsets.UTF_8));
    assertEquals("run1-lt01-2-000007", CompletionWire.headers("run1-lt01-2-000007").getFirst("Nats-Msg-Id"));
  }

  @Test
  void theProductDecodesTheIndependentEventAsTheSameEvent() {
    CompletionCodec.Decoded decoded = CompletionCodec.decode(CompletionWire.subject("lt01", "2"),
        CompletionWire.body("lt01", "2", "ctx-9", 42L), GatewayConfig.IngestSettings.DEFAULT_MAX_EVENT_BYTES);
    assertTrue(decoded.isValid(), () -> "rejected: " + decoded.rejection());
    assertEquals("lt01:2", decoded.event().chamber().toString());
    assertEquals("ctx-9", decoded.event().contextId());
    assertEquals(42L, decoded.event().completedAt());
  }

  @Test
  void contextIdsAreOrderedPerChamberAndUniquePerRun() {
    io.chamberlain.domain.ChamberKey chamber = new io.chamberlain.domain.ChamberKey("lt01", "2");
    assertEquals("abc-lt01-2-000042", RunTags.contextId("abc", chamber, 42));
    assertTrue(!RunTags.next().equals(RunTags.next()), "two publishers never share a run tag");
  }
}
