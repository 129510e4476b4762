package io.chamberlain.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class IndicatorsTest {

  static Stream<Arguments> knownSeries() {
    return Stream.of(
        // scenario, hz, series, mean, std, min, max, range, slope (per second)
        Arguments.of("constant", 1.0, new float[] {5, 5, 5, 5}, 5, 0, 5, 5, 0, 0),
        Arguments.of("textbook std", 1.0, new float[] {2, 4, 4, 4, 5, 5, 7, 9}, 5, 2, 2, 9, 7, 34.0 / 42),
        Arguments.of("ramp at 2 Hz", 2.0, new float[] {0, 1, 2, 3, 4}, 2, Math.sqrt(2), 0, 4, 4, 2),
        Arguments.of("falling ramp", 1.0, new float[] {10, 8, 6, 4}, 7, Math.sqrt(5), 4, 10, 6, -2),
        Arguments.of("single sample", 1.0, new float[] {3}, 3, 0, 3, 3, 0, 0),
        Arguments.of("negative values", 1.0, new float[] {-1, -3}, -2, 1, -3, -1, 2, -2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("knownSeries")
  void computesKnownSeries(String scenario, double hz, float[] series, double mean, double std, double min,
                           double max, double range, double slope) {
    IndicatorValues values = Indicators.of(new Trace(hz, series.length / hz, new float[][] {series}));
    assertEquals(mean, values.get(0, Indicator.MEAN), 1e-9, "mean");
    assertEquals(std, values.get(0, Indicator.STD), 1e-9, "std");
    assertEquals(min, values.get(0, Indicator.MIN), 0, "min");
    assertEquals(max, values.get(0, Indicator.MAX), 0, "max");
    assertEquals(range, values.get(0, Indicator.RANGE), 0, "range");
    assertEquals(slope, values.get(0, Indicator.SLOPE), 1e-9, "slope");
  }

  @Test
  void keepsSmallVarianceOnALargeLevel() {
    float[] series = new float[10_000];
    for (int i = 0; i < series.length; i++) {
      series[i] = 1000f + (i % 2 == 0 ? 0.125f : -0.125f);
    }
    IndicatorValues values = Indicators.of(new Trace(1, series.length, new float[][] {series}));
    assertEquals(0.125, values.get(0, Indicator.STD), 1e-9);
    assertEquals(1000, values.get(0, Indicator.MEAN), 1e-9);
  }

  @Test
  void computesEverySvidIndependently() {
    IndicatorValues values = Indicators.of(new Trace(1, 2, new float[][] {{1, 3}, {10, 10}}));
    assertEquals(2, values.get(0, Indicator.MEAN));
    assertEquals(10, values.get(1, Indicator.MEAN));
    assertEquals(0, values.get(1, Indicator.SLOPE));
  }

  @Test
  void rejectsNanSamplesNamingTheSvid() {
    Trace trace = new Trace(1, 3, new float[][] {{1, 2, 3}, {1, Float.NaN, 3}});
    CorruptTraceException error = assertThrows(CorruptTraceException.class, () -> Indicators.of(trace));
    assertTrue(error.getMessage().contains("SVID 1"), error.getMessage());
  }

  @Test
  void dispersionIndicatorsAreChartedOnALogScale() {
    assertEquals(Math.log(4), Indicator.STD.charted(4), 1e-15);
    assertEquals(4, Indicator.RANGE.raw(Indicator.RANGE.charted(4)), 1e-12);
    assertEquals(Math.log(1e-12), Indicator.STD.charted(0), 1e-12, "a constant signal charts at the floor");
    assertEquals(-3, Indicator.MEAN.charted(-3));
    assertEquals(-3, Indicator.SLOPE.raw(-3));
  }

  @Test
  void perStepWindowsSummarizeEachRecipeStep() {
    Trace trace = new Trace(1, 5, new float[][] {{1, 1, 5, 6, 7}}, new int[] {0, 2});
    IndicatorValues values = Indicators.of(trace, true);
    assertEquals(3, values.windows());
    assertEquals(4, values.get(0, 0, Indicator.MEAN), 1e-12, "whole context");
    assertEquals(1, values.get(0, 1, Indicator.MEAN), 1e-12, "step 1");
    assertEquals(0, values.get(0, 1, Indicator.STD), 1e-12);
    assertEquals(0, values.get(0, 1, Indicator.SLOPE), 1e-12);
    assertEquals(6, values.get(0, 2, Indicator.MEAN), 1e-12, "step 2");
    assertEquals(1, values.get(0, 2, Indicator.SLOPE), 1e-12, "step 2 rises by 1 per sample");
    assertEquals(2, values.get(0, 2, Indicator.RANGE), 0);
    assertEquals(5, values.get(0, 2, Indicator.MIN), 0);
  }

  @Test
  void wholeContextIsTheSameWithOrWithoutStepWindows() {
    Trace trace = new Trace(2, 3, new float[][] {{3, 1, 4, 1, 5, 9}, {2, 6, 5, 3, 5, 8}}, new int[] {0, 1, 4});
    IndicatorValues whole = Indicators.of(trace);
    IndicatorValues stepped = Indicators.of(trace, true);
    assertEquals(1, whole.windows());
    for (int svid = 0; svid < 2; svid++) {
      for (Indicator indicator : Indicator.values()) {
        assertEquals(whole.get(svid, indicator), stepped.get(svid, 0, indicator), 1e-12, svid + " " + indicator);
      }
    }
  }
}
