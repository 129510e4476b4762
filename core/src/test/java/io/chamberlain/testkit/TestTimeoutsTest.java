package io.chamberlain.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The timeout factor: property over env, default 1, never below 1, garbage named. */
class TestTimeoutsTest {

  @Test
  void propertyWinsOverEnvAndBlankMeansUnset() {
    assertEquals(1.0, TestTimeouts.factor(null, null));
    assertEquals(1.0, TestTimeouts.factor(" ", ""));
    assertEquals(3.0, TestTimeouts.factor(null, "3"));
    assertEquals(2.5, TestTimeouts.factor("2.5", "3"));
    assertEquals(3.0, TestTimeouts.factor("", "3"));
  }

  @Test
  void neverShrinksATimeout() {
    assertEquals(1.0, TestTimeouts.factor("0.1", null));
    assertTrue(TestTimeouts.FACTOR >= 1.0);
    assertTrue(TestTimeouts.millis(300).toMillis() >= 300);
  }

  @Test
  void aWrongValueSaysWhichSetting() {
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> TestTimeouts.factor("slow", null));
    assertTrue(wrong.getMessage().contains("chamberlain.test.timeoutFactor"), wrong.getMessage());
    assertTrue(wrong.getMessage().contains("'slow'"), wrong.getMessage());
  }
}
