package io.chamberlain.system.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeavyTailedPopulationTest {

  private static long points(ChamberProfile profile) {
    return Math.round(profile.svidCount() * profile.hz() * profile.contextSeconds());
  }

  @Test
  void isTheSameEveryRunAndHeavyTailed() {
    List<ChamberProfile> population = HeavyTailedPopulation.profiles(1_000);
    assertEquals(population, HeavyTailedPopulation.profiles(1_000), "seeded: every bench run measures the same fab");
    assertEquals(1_000, population.stream().map(ChamberProfile::chamber).distinct().count());
    long light = population.stream().filter(p -> points(p) <= 18_000).count();
    long heavy = population.stream().filter(p -> points(p) >= 180_000 && p.svidCount() >= 300).count();
    assertTrue(light > 620 && light < 780, "about 70 % light, was " + light);
    assertTrue(heavy > 20 && heavy < 90, "about 5 % heavy, was " + heavy);
    assertTrue(population.stream().mapToLong(HeavyTailedPopulationTest::points).max().orElseThrow() <= 750_000,
        "no context beyond 750,000 points");
    assertTrue(population.stream().allMatch(p -> p.chamber().toolId().startsWith(HeavyTailedPopulation.PREFIX)));
  }
}
