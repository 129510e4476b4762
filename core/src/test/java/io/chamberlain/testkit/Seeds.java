package io.chamberlain.testkit;

import java.util.Random;

/**
 * The base seed of a randomized test. The CI gate must be deterministic — a gate that draws new
 * seeds on every run fails unrelated changes whenever it stumbles on an old bug — so by default a
 * test runs its fixed base seed (plus, in the test itself, every seed that ever failed, as
 * regression cases). Random exploration is its own command ({@code bin/chamberlain explore}),
 * which sets {@value #EXPLORE}: then the base seed is fresh. {@value #SEED} replays one base seed.
 * The seed used is printed either way.
 */
public final class Seeds {

  /** System property: replay this base seed. */
  public static final String SEED = "chamberlain.seed";
  /** System property: {@code true} draws a fresh random base seed (exploration, not the gate). */
  public static final String EXPLORE = "chamberlain.explore";

  private Seeds() {
  }

  /** The base seed for {@code test}: {@value #SEED} if set, a random one when exploring, else {@code fixed}. */
  public static long base(String test, long fixed) {
    String replay = System.getProperty(SEED);
    long seed;
    String why;
    if (replay != null && !replay.isBlank()) {
      seed = Long.parseLong(replay.trim());
      why = "replayed";
    } else if (Boolean.getBoolean(EXPLORE)) {
      seed = new Random().nextLong();
      why = "random, exploring";
    } else {
      seed = fixed;
      why = "fixed";
    }
    System.out.println(test + ": base seed " + seed + " (" + why + "; rerun with -D" + SEED + "=" + seed + ")");
    return seed;
  }
}
