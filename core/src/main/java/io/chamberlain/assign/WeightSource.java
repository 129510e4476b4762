package io.chamberlain.assign;

import java.util.Locale;

/** Where a chamber's weight comes from (config: {@code formula} | {@code observed} | {@code blend}). */
public enum WeightSource {
  /** {@code svidCount × hz × contextSeconds} from the chamber profile. */
  FORMULA,
  /** The cost measured by the defenders; the formula until a measurement exists. */
  OBSERVED,
  /** A weighted mean of both; the formula alone until a measurement exists. */
  BLEND;

  /** Parses the config spelling, case-insensitively; the error lists the accepted values. */
  public static WeightSource parse(String text) {
    if (text != null) {
      for (WeightSource source : values()) {
        if (source.name().equalsIgnoreCase(text.trim())) {
          return source;
        }
      }
    }
    throw new IllegalArgumentException(
        "weight source '" + text + "' is not one of formula, observed, blend");
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
