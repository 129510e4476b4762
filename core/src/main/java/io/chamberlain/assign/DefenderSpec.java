package io.chamberlain.assign;

import io.chamberlain.domain.Ids;

/**
 * A live defender as the assignment engine sees it: its stable id and its capacity factor
 * (1.0 = a standard node; 2.0 = takes twice the fair share).
 */
public record DefenderSpec(String id, double capacity) {

  public static final double DEFAULT_CAPACITY = 1.0;

  public DefenderSpec {
    Ids.require("defenderId", id);
    if (!(capacity > 0) || Double.isInfinite(capacity)) {
      throw new IllegalArgumentException("defender [" + id + "]: capacity must be > 0 and finite, was " + capacity);
    }
  }

  public static DefenderSpec of(String id) {
    return new DefenderSpec(id, DEFAULT_CAPACITY);
  }
}
