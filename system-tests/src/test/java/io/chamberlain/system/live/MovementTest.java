package io.chamberlain.system.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** "Moved" is a changed home, "leased" is a deputy serving it; and both read today's and tomorrow's API. */
class MovementTest {

  private static final ChamberKey A = new ChamberKey("lt01", "1");
  private static final ChamberKey B = new ChamberKey("lt01", "2");
  private static final ChamberKey C = new ChamberKey("lt01", "3");

  @Test
  void aChamberMovesWhenItsHomeChangesNotWhenItIsNewOrGone() {
    Map<ChamberKey, String> before = Map.of(A, "d1", B, "d2", C, "d3");
    Map<ChamberKey, String> after = Map.of(A, "d1", B, "d3", new ChamberKey("nw0001", "1"), "d1");
    assertEquals(Set.of(B), Movement.moved(before, after));
    assertEquals(Set.of(), Movement.moved(before, before));
  }

  @Test
  void aVerdictByNeitherHomeIsALeaseAndTheProductsLeasedToCountsToo() {
    Map<ChamberKey, String> homes = Map.of(A, "d1", B, "d2", C, "d3");
    List<Verdict> during = List.of(verdict(A, "d1"), verdict(B, "d4"), verdict(B, "d2"), verdict(C, "d3"));
    assertEquals(Set.of(B), Movement.leased(during, homes, homes, Set.of()));
    assertEquals(Set.of(B, C), Movement.leased(during, homes, homes, Set.of(C)));
    Map<ChamberKey, String> crashed = Map.of(A, "d1", B, "d4", C, "d3");
    assertEquals(Set.of(), Movement.leased(during, homes, crashed, Set.of()),
        "served by its new home after a crash: moved, not leased");
  }

  @Test
  void leasedToIsOptionalInTheAssignmentsAnswer() {
    AssignmentView today = AssignmentView.fromJson(new JsonObject(
        "{\"epoch\":7,\"chambers\":{\"lt01:1\":{\"owner\":\"d1\",\"weight\":1.0}}}"));
    assertEquals(Map.of(A, "d1"), today.owners());
    assertEquals(Map.of(), today.leasedTo());
    AssignmentView leasing = AssignmentView.fromJson(new JsonObject("{\"epoch\":8,\"chambers\":{"
        + "\"lt01:1\":{\"owner\":\"d1\",\"leasedTo\":\"d2\"},\"lt01:2\":{\"owner\":\"d2\"}}}"));
    assertEquals(Map.of(A, "d1", B, "d2"), leasing.owners(), "owner stays the home while leased");
    assertEquals(Map.of(A, "d2"), leasing.leasedTo());
    assertEquals(8, leasing.epoch());
  }

  private static Verdict verdict(ChamberKey chamber, String defender) {
    return new Verdict(1, chamber, chamber + "-ctx", defender, 100, 150, -1);
  }
}
