package io.chamberlain.defense;

import static io.chamberlain.defense.Rule.BEYOND_LIMIT;
import static io.chamberlain.defense.Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA;
import static io.chamberlain.defense.Rule.RUN_ON_ONE_SIDE;
import static io.chamberlain.defense.Rule.TREND;
import static io.chamberlain.defense.Rule.TWO_OF_THREE_BEYOND_2_SIGMA;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Classic parameters (3σ, run 8, trend 6); z-series are oldest first. */
class RunRulesTest {

  static Stream<Arguments> classicScenarios() {
    return Stream.of(
        scenario("in control", z(0.5, -0.3, 0.2, -0.8, 0.1)),
        scenario("empty history", z()),
        scenario("one point above 3σ", z(0.1, -0.2, 3.2), BEYOND_LIMIT),
        scenario("one point below 3σ", z(-3.5), BEYOND_LIMIT),
        scenario("exactly on 3σ is not beyond", z(0.2, -0.1, 3.0)),
        scenario("2 of 3 above 2σ", z(2.5, 0.1, 2.1), TWO_OF_THREE_BEYOND_2_SIGMA),
        scenario("2 of 3 beyond 2σ on opposite sides", z(2.5, 0.1, -2.1)),
        scenario("2 of 3 completed earlier, newest is back", z(2.5, 2.4, 0.1)),
        scenario("2 beyond 2σ but 4 points apart", z(2.5, 0.1, 0.2, 2.1)),
        scenario("4 of 5 above 1σ", z(1.5, 1.2, 0.3, 1.1, 1.4), FOUR_OF_FIVE_BEYOND_1_SIGMA),
        scenario("4 of 5 below 1σ", z(-1.5, -1.2, -1.1, 0.3, -1.4), FOUR_OF_FIVE_BEYOND_1_SIGMA),
        scenario("3 of 5 above 1σ", z(1.5, 0.2, 0.3, 1.1, 1.4)),
        scenario("8 above the centre", z(0.1, 0.5, 0.2, 0.9, 0.3, 0.4, 0.2, 0.6), RUN_ON_ONE_SIDE),
        scenario("8 below the centre", z(-0.1, -0.5, -0.2, -0.9, -0.3, -0.4, -0.2, -0.6), RUN_ON_ONE_SIDE),
        scenario("7 above the centre", z(-0.1, 0.5, 0.2, 0.9, 0.3, 0.4, 0.2, 0.6)),
        scenario("a zero breaks the run", z(0.1, 0.5, 0.2, 0.0, 0.3, 0.4, 0.2, 0.6)),
        scenario("6 rising", z(-1.0, -0.5, 0.0, 0.4, 0.8, 1.2), TREND),
        scenario("6 falling", z(1.0, 0.5, 0.0, -0.4, -0.8, -1.2), TREND),
        scenario("5 rising", z(2.0, -0.5, 0.0, 0.4, 0.8, 1.2)),
        scenario("a tie breaks the trend", z(-1.0, -0.5, -0.5, 0.4, 0.8, 1.2)),
        scenario("everything at once", z(1.5, 1.6, 1.7, 1.8, 2.5, 2.8, 2.9, 3.6),
            BEYOND_LIMIT, TWO_OF_THREE_BEYOND_2_SIGMA, FOUR_OF_FIVE_BEYOND_1_SIGMA, RUN_ON_ONE_SIDE, TREND));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classicScenarios")
  void classicRules(String scenario, float[] z, Set<Rule> expected) {
    assertEquals(expected, RunRules.violated(z, z.length, RuleParameters.CLASSIC));
  }

  static Stream<Arguments> widenedScenarios() {
    RuleParameters wide = new RuleParameters(4.5, 3.0, 1.8, 10, 7);
    return Stream.of(
        Arguments.of("3.2σ is inside a 4.5σ band", wide, z(0.1, 3.2), Set.of()),
        Arguments.of("2 of 3 beyond a 3σ line", wide, z(3.1, 0.0, 3.2), EnumSet.of(TWO_OF_THREE_BEYOND_2_SIGMA)),
        Arguments.of("2 of 3 beyond 2σ but not beyond 3σ", wide, z(2.9, 0.0, 2.9), Set.of()),
        Arguments.of("4 of 5 beyond 1σ but not beyond 1.8σ", wide, z(1.5, 1.5, 0, 1.5, 1.7), Set.of()),
        Arguments.of("4 of 5 beyond 1.8σ", wide, z(1.9, 1.9, 0, 1.9, 1.9), EnumSet.of(FOUR_OF_FIVE_BEYOND_1_SIGMA)),
        Arguments.of("8 on one side is not enough for a run of 10", wide, z(-1, -1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1),
            Set.of()),
        Arguments.of("6 rising is not enough for a trend of 7", wide, z(5, -1, -0.5, 0, 0.5, 1, 1.4), Set.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("widenedScenarios")
  void widenedRules(String scenario, RuleParameters parameters, float[] z, Set<Rule> expected) {
    assertEquals(expected, RunRules.violated(z, z.length, parameters));
  }

  private static Arguments scenario(String name, float[] z, Rule... expected) {
    EnumSet<Rule> rules = EnumSet.noneOf(Rule.class);
    rules.addAll(java.util.List.of(expected));
    return Arguments.of(name, z, rules);
  }

  private static float[] z(double... values) {
    float[] z = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      z[i] = (float) values[i];
    }
    return z;
  }
}
