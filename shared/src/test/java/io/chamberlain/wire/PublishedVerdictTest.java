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

/** The verdict a defender publishes, against its golden file, and read across a version skew. */
class PublishedVerdictTest {

  static final PublishedVerdict ALARM = new PublishedVerdict(ChamberKey.parse("tool001:1"),
      new Verdict("ctx-42", Verdict.Status.ALARM, List.of(
          new Violation("WE1_BEYOND_LIMIT", Verdict.Status.ALARM, 5, "max", 2, 812.5, 640.0, 610.5, 669.5, 26.5)), 1, false),
      1_700_000_000_000L, 1_700_000_000_412L, "defender-3", 118);

  @Test
  void matchesItsGoldenJsonBothWays() throws Exception {
    assertEquals(ReplyFormatTest.golden("published-verdict.json"), ALARM.toJson().encodePrettily());
    assertEquals(ALARM, PublishedVerdict.fromJson(new JsonObject(ReplyFormatTest.golden("published-verdict.json"))));
  }

  @Test
  void readsAcrossVersions() throws Exception {
    JsonObject newer = new JsonObject(ReplyFormatTest.golden("published-verdict.json")).put("rack", "b2");
    assertEquals(ALARM, PublishedVerdict.fromJson(newer), "an unknown field is ignored");
    JsonObject older = new JsonObject(ReplyFormatTest.golden("published-verdict.json"));
    older.remove("defender");
    older.remove("contextsJudged");
    PublishedVerdict read = PublishedVerdict.fromJson(older);
    assertEquals(PublishedVerdict.UNKNOWN_DEFENDER, read.defender());
    assertEquals(0, read.contextsJudged());
  }

  @Test
  void refusesWhatItCannotReadNamingTheField() throws Exception {
    JsonObject noTime = new JsonObject(ReplyFormatTest.golden("published-verdict.json"));
    noTime.remove("completedAt");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PublishedVerdict.fromJson(noTime)).getMessage()
        .contains("'completedAt'"));
    JsonObject badStatus = new JsonObject(ReplyFormatTest.golden("published-verdict.json")).put("status", "MAYBE");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PublishedVerdict.fromJson(badStatus)).getMessage()
        .contains("MAYBE"));
    assertThrows(IllegalArgumentException.class, () -> PublishedVerdict.fromJson(null));
  }
}
