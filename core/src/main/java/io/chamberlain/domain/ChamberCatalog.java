package io.chamberlain.domain;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chamber profiles declared in {@code config/chambers.yaml}:
 * <pre>
 * chambers:
 *   - { tool: tool001, chamber: "1", svidCount: 100, hz: 10, contextSeconds: 1200 }
 * </pre>
 * Parsed from the YAML tree (plain maps and lists), so it stays free of any YAML library. Every
 * error names the file, the entry number and the field.
 */
public final class ChamberCatalog {

  private ChamberCatalog() {
  }

  public static List<ChamberProfile> parse(Map<String, Object> tree, String fileName) {
    Object list = tree.get("chambers");
    if (list == null) {
      return List.of();
    }
    if (!(list instanceof List<?> entries)) {
      throw new IllegalArgumentException(fileName + ": 'chambers' must be a list");
    }
    Map<ChamberKey, ChamberProfile> profiles = new TreeMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = fileName + ": chambers entry #" + (i + 1);
      if (!(entries.get(i) instanceof Map<?, ?> entry)) {
        throw new IllegalArgumentException(where + " must be a map with tool, chamber, svidCount, hz, contextSeconds");
      }
      try {
        ChamberKey key = new ChamberKey(text(entry, "tool"), text(entry, "chamber"));
        ChamberProfile profile = new ChamberProfile(key,
            (int) number(entry, "svidCount", ChamberProfile.DEFAULT_SVID_COUNT),
            number(entry, "hz", ChamberProfile.DEFAULT_HZ),
            number(entry, "contextSeconds", ChamberProfile.DEFAULT_CONTEXT_SECONDS));
        if (profiles.put(key, profile) != null) {
          throw new IllegalArgumentException("chamber " + key + " is declared twice");
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(profiles.values());
  }

  private static String text(Map<?, ?> entry, String field) {
    Object value = entry.get(field);
    return value == null ? null : value.toString();
  }

  private static double number(Map<?, ?> entry, String field, double fallback) {
    Object value = entry.get(field);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(field + " must be a number, was '" + value + "'");
  }
}
