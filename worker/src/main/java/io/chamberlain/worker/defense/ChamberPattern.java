package io.chamberlain.worker.defense;

import io.chamberlain.domain.ChamberKey;
import java.util.regex.Pattern;

/**
 * A glob over chamber keys: {@code *} matches any run of characters, {@code ?} exactly one.
 * {@code tool00?:*} selects chambers; a pattern without {@code ':'} is a tool pattern
 * ({@code etch*} = {@code etch*:*}).
 */
record ChamberPattern(String glob, Pattern regex) {

  static ChamberPattern of(String glob) {
    if (glob == null || glob.isBlank()) {
      throw new IllegalArgumentException("chamber pattern is empty (use '*' to match every chamber)");
    }
    String full = glob.indexOf(':') < 0 ? glob + ":*" : glob;
    if (full.indexOf(':') != full.lastIndexOf(':')) {
      throw new IllegalArgumentException("chamber pattern '" + glob + "' has more than one ':' (expected tool:chamber)");
    }
    StringBuilder regex = new StringBuilder();
    for (char c : full.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new ChamberPattern(glob, Pattern.compile(regex.toString()));
  }

  boolean matches(ChamberKey chamber) {
    return regex.matcher(chamber.toString()).matches();
  }
}
