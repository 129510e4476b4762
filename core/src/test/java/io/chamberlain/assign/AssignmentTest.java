package io.chamberlain.assign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssignmentTest {

  @Test
  void iteratesInKeyOrderWhateverTheSourceMap() {
    Map<ChamberKey, String> owners = new HashMap<>();
    owners.put(ChamberKey.parse("b:1"), "d1");
    owners.put(ChamberKey.parse("a:2"), "d2");
    owners.put(ChamberKey.parse("a:1"), "d1");
    Assignment assignment = Assignment.of(3, owners);
    assertEquals(List.of(ChamberKey.parse("a:1"), ChamberKey.parse("a:2"), ChamberKey.parse("b:1")),
        List.copyOf(assignment.owners().keySet()));
    assertEquals(List.of(ChamberKey.parse("a:1"), ChamberKey.parse("b:1")), assignment.byDefender().get("d1"));
    assertThrows(UnsupportedOperationException.class, () -> assignment.owners().clear());
  }

  @Test
  void epochIsPartOfEqualityButNotOfSameOwners() {
    Assignment a = Assignment.of(1, Map.of(ChamberKey.parse("a:1"), "d1"));
    Assignment b = a.withEpoch(2);
    assertNotEquals(a, b);
    assertTrue(a.sameOwners(b));
    assertThrows(IllegalArgumentException.class, () -> a.withEpoch(-1));
  }

  @Test
  void refusesChambersWithoutOwner() {
    Map<ChamberKey, String> owners = new HashMap<>();
    owners.put(ChamberKey.parse("a:1"), null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Assignment.of(1, owners));
    assertTrue(e.getMessage().contains("a:1"), e.getMessage());
  }
}
