package io.chamberlain.domain;

/**
 * A process chamber, {@code toolId:chamberId} (e.g. {@code tool001:1}). The unit of ownership:
 * each chamber is owned by exactly one live defender at a time.
 *
 * <p>Ordering is by tool id, then chamber id, so every sorted view is deterministic.
 */
public record ChamberKey(String toolId, String chamberId) implements Comparable<ChamberKey> {

  public ChamberKey {
    Ids.require("toolId", toolId);
    Ids.require("chamberId", chamberId);
  }

  /** Parses {@code toolId:chamberId}; the error says which part was wrong. */
  public static ChamberKey parse(String text) {
    if (text == null) {
      throw new Ids.InvalidIdException("chamber key is missing (expected toolId:chamberId)");
    }
    int colon = text.indexOf(':');
    if (colon < 0 || colon != text.lastIndexOf(':')) {
      throw new Ids.InvalidIdException(
          "chamber key '" + text + "' must have exactly one ':' (expected toolId:chamberId)");
    }
    return new ChamberKey(text.substring(0, colon), text.substring(colon + 1));
  }

  @Override
  public int compareTo(ChamberKey other) {
    int byTool = toolId.compareTo(other.toolId);
    return byTool != 0 ? byTool : chamberId.compareTo(other.chamberId);
  }

  @Override
  public String toString() {
    return toolId + ":" + chamberId;
  }
}
