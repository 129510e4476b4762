package io.chamberlain.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScaleInForecastTest {

  private static final List<String> FORTY = IntStream.range(0, 40).mapToObj(i -> "chamberlain-worker-" + i).toList();

  @Test
  void namesTheOrdinalsAboveTheLargestNeedOnceAWholeWindowWasWatched() {
    ScaleInForecast forecast = new ScaleInForecast(60_000, 10);
    assertEquals(Optional.empty(), forecast.goingAway(0, 30, FORTY), "no opinion before a whole window");
    assertEquals(Optional.empty(), forecast.goingAway(30_000, 20, FORTY));
    assertEquals(Optional.empty(), forecast.goingAway(59_999, 20, FORTY));
    assertEquals(10, forecast.goingAway(60_000, 20, FORTY).orElseThrow().size(), "30 was the largest need in the window");
    assertEquals(20, forecast.goingAway(90_001, 20, FORTY).orElseThrow().size(), "30 left the window");
    assertEquals(10, forecast.goingAway(90_002, 30, FORTY).orElseThrow().size(), "a growing need counts at once");
    assertEquals(Optional.of(Set.of()), forecast.goingAway(90_003, 39, FORTY), "39 of 40: within the tolerance");
  }

  @Test
  void keepsTheMinimumAndIgnoresANeedWithinTheAutoscalersTolerance() {
    ScaleInForecast forecast = new ScaleInForecast(1_000, 30);
    forecast.goingAway(0, 5, FORTY);
    assertEquals(10, forecast.goingAway(1_000, 5, FORTY).orElseThrow().size(), "never below the minimum of 30");
    ScaleInForecast near = new ScaleInForecast(1_000, 0);
    near.goingAway(0, 37, FORTY);
    assertEquals(Optional.of(Set.of()), near.goingAway(1_000, 37, FORTY), "37 of 40 is within 10 %: the HPA keeps 40");
  }

  @Test
  void onlyIdsEndingInAnOrdinalCanGo() {
    ScaleInForecast forecast = new ScaleInForecast(1, 0);
    List<String> ids = List.of("worker-0", "worker-7", "host-a", "worker-", "worker-٣", "plain");
    forecast.goingAway(0, 1, ids);
    assertEquals(Optional.of(Set.of("worker-7")), forecast.goingAway(1, 1, ids));
    assertThrows(IllegalArgumentException.class, () -> new ScaleInForecast(0, 1));
  }
}
