package io.chamberlain.system.live.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

  @Test
  void sixFaultsAreOneOfEachKindHalfAnIntervalApart() {
    List<FaultSchedule.Fault> plan = FaultSchedule.plan(7, 180_000, 30_000);
    assertEquals(6, plan.size());
    assertEquals(EnumSet.allOf(FaultKind.class), plan.stream().map(FaultSchedule.Fault::kind)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(FaultKind.class))));
    assertEquals(List.of(15_000L, 45_000L, 75_000L, 105_000L, 135_000L, 165_000L),
        plan.stream().map(FaultSchedule.Fault::atMillis).toList());
  }

  @Test
  void halfAnHourMeetsEveryKindFiveTimesInASeededOrder() {
    List<FaultSchedule.Fault> plan = FaultSchedule.plan(42, 1_800_000, 60_000);
    Map<FaultKind, Long> counts = plan.stream().collect(Collectors.groupingBy(FaultSchedule.Fault::kind,
        Collectors.counting()));
    assertEquals(EnumSet.allOf(FaultKind.class).stream().collect(Collectors.toMap(Function.identity(), k -> 5L)), counts);
    assertEquals(plan, FaultSchedule.plan(42, 1_800_000, 60_000), "the same seed replays the same plan");
    List<FaultKind> other = FaultSchedule.plan(43, 1_800_000, 60_000).stream().map(FaultSchedule.Fault::kind).toList();
    assertEquals(false, other.equals(plan.stream().map(FaultSchedule.Fault::kind).toList()), "another seed, another order");
  }

  @Test
  void refusesAnEmptyInterval() {
    assertThrows(IllegalArgumentException.class, () -> FaultSchedule.plan(1, 60_000, 0));
  }
}
