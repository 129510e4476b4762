package io.chamberlain.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChamberCatalogTest {

  @Test
  void parsesProfilesSortedWithDefaultsForMissingNumbers() {
    List<ChamberProfile> profiles = ChamberCatalog.parse(Map.of("chambers", List.of(
        Map.of("tool", "tool002", "chamber", "1", "svidCount", 50, "hz", 1, "contextSeconds", 600),
        Map.of("tool", "tool001", "chamber", 2))), "chambers.yaml");
    assertEquals(2, profiles.size());
    assertEquals(ChamberKey.parse("tool001:2"), profiles.get(0).chamber());
    assertEquals(ChamberProfile.defaultFor(ChamberKey.parse("tool001:2")), profiles.get(0));
    assertEquals(30_000, profiles.get(1).weight());
  }

  @Test
  void errorsNameTheFileEntryAndField() {
    assertEquals("chambers.yaml: chambers entry #2: toolId 'bad.tool' contains characters other than letters, "
            + "digits, '_' and '-' (dots, spaces and the NATS wildcards '*' and '>' are not allowed)",
        assertThrows(IllegalArgumentException.class, () -> ChamberCatalog.parse(Map.of("chambers", List.of(
            Map.of("tool", "t", "chamber", "1"), Map.of("tool", "bad.tool", "chamber", "1"))), "chambers.yaml"))
            .getMessage());
    assertEquals("c.yaml: chambers entry #1: hz must be a number, was 'fast'",
        assertThrows(IllegalArgumentException.class, () -> ChamberCatalog.parse(Map.of("chambers", List.of(
            Map.of("tool", "t", "chamber", "1", "hz", "fast"))), "c.yaml")).getMessage());
    assertEquals("c.yaml: chambers entry #2: chamber t:1 is declared twice",
        assertThrows(IllegalArgumentException.class, () -> ChamberCatalog.parse(Map.of("chambers", List.of(
            Map.of("tool", "t", "chamber", "1"), Map.of("tool", "t", "chamber", "1"))), "c.yaml")).getMessage());
  }
}
