package io.chamberlain.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ZHistoryTest {

  @Test
  void keepsTheNewestValuesOfEachChartOldestFirst() {
    ZHistory history = new ZHistory(2, 3);
    for (int context = 1; context <= 5; context++) {
      history.append(new float[] {context, -context});
    }
    float[] window = new float[3];
    assertEquals(3, history.window(0, window));
    assertArrayEquals(new float[] {3, 4, 5}, window);
    history.window(1, window);
    assertArrayEquals(new float[] {-3, -4, -5}, window);
  }

  @Test
  void storesThousandthsClampedToTheRange() {
    ZHistory history = new ZHistory(4, 2);
    history.append(new float[] {1.23456f, -100, Float.NaN, 32.7674f});
    float[] window = new float[2];
    float[] newest = new float[4];
    for (int s = 0; s < 4; s++) {
      history.window(s, window);
      newest[s] = window[0];
    }
    assertEquals(Arrays.toString(new float[] {1.235f, -32.767f, 0, 32.767f}), Arrays.toString(newest));
  }

  @Test
  void emptyHistoryHasNoWindow() {
    assertEquals(0, new ZHistory(3, 4).window(2, new float[4]));
  }
}
