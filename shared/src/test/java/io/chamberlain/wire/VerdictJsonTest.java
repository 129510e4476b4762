package io.chamberlain.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.defense.Verdict;
import io.chamberlain.defense.Violation;
import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictJsonTest {

  private static final Verdict ALARM = new Verdict("ctx-42", Verdict.Status.ALARM, List.of(
      new Violation("WE1_BEYOND_LIMIT", Verdict.Status.ALARM, 5, "max", 2, 812.5, 640.0, 610.5, 669.5, 26.5),
      new Violation("MEAN_SHIFT", Verdict.Status.WARN, 1, "mean", 0, 3.0, Double.NaN, Double.NaN, Double.NaN, Double.NaN)),
      3, false);

  @Test
  void goldenJson() {
    assertEquals("{\"toolId\":\"tool001\",\"chamberId\":\"1\",\"contextId\":\"ctx-42\",\"status\":\"ALARM\",\"learning\":false,"
        + "\"violationCount\":3,\"violations\":[{\"rule\":\"WE1_BEYOND_LIMIT\",\"severity\":\"ALARM\",\"svid\":5,"
        + "\"indicator\":\"max\",\"step\":2,\"value\":812.5,\"centre\":640.0,\"lower\":610.5,\"upper\":669.5,\"z\":26.5},"
        + "{\"rule\":\"MEAN_SHIFT\",\"severity\":\"WARN\",\"svid\":1,\"indicator\":\"mean\",\"step\":0,\"value\":3.0,"
        + "\"centre\":null,\"lower\":null,\"upper\":null,\"z\":null}]}",
        VerdictJson.toJson(ChamberKey.parse("tool001:1"), ALARM).encode());
  }

  @Test
  void roundTrip() {
    Verdict back = VerdictJson.fromJson(new JsonObject(VerdictJson.toJson(ChamberKey.parse("t:1"), ALARM).encode()));
    assertEquals(ALARM.contextId(), back.contextId());
    assertEquals(ALARM.status(), back.status());
    assertEquals(3, back.violationCount());
    assertEquals(ALARM.violations().get(0), back.violations().get(0));
    assertTrue(Double.isNaN(back.violations().get(1).z()));
  }

  @Test
  void strictReading() {
    JsonObject json = VerdictJson.toJson(ChamberKey.parse("t:1"), ALARM);
    json.remove("status");
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> VerdictJson.fromJson(json));
    assertEquals("field 'status' must be string, was missing", error.getMessage());
    json.put("status", "MAYBE");
    assertThrows(IllegalArgumentException.class, () -> VerdictJson.fromJson(json));
  }
}
