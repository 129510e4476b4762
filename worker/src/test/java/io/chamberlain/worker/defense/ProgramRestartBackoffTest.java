package io.chamberlain.worker.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request that finds its program in a restart back-off: the event was not tried, so it must not
 * be blamed. Shorter than one timeout, the back-off is waited out and the request answered; longer,
 * the request fails at once as not tried (its chamber's gateway retries it without counting).
 */
class ProgramRestartBackoffTest {

  /** Answers "ok" except to a request "die", on which it exits. */
  private static final List<String> PROGRAM = List.of("sh", "-c",
      "while read l; do if [ \"$l\" = die ]; then exit 3; fi; echo ok; done");
  private ProgramSession session;

  @AfterEach
  void close() {
    if (session != null) {
      session.close();
    }
  }

  @Test
  void aBackOffShorterThanTheTimeoutIsWaitedOutAndTheNextEventAnswered() {
    session = new ProgramSession("test", PROGRAM, Duration.ofSeconds(10), new Backoff(Duration.ofMillis(300),
        Duration.ofSeconds(1)), ExternalProgramDefense.DEFAULT_MAX_LINE_CHARS);
    DefenseProcessException crashed = assertThrows(DefenseProcessException.class,
        () -> session.exchange("die", Function.identity()));
    assertTrue(crashed.tried(), "the event the program died on was tried: " + crashed.getMessage());
    assertEquals("ok", session.exchange("next", Function.identity()), "the next event waits for the restart");
    assertEquals(2, session.starts());
  }

  @Test
  void aBackOffLongerThanTheTimeoutFailsTheNextEventAsNotTried() {
    session = new ProgramSession("test", PROGRAM, Duration.ofMillis(200), new Backoff(Duration.ofSeconds(30),
        Duration.ofSeconds(60)), ExternalProgramDefense.DEFAULT_MAX_LINE_CHARS);
    assertThrows(DefenseProcessException.class, () -> session.exchange("die", Function.identity()));
    DefenseProcessException refused = assertThrows(DefenseProcessException.class,
        () -> session.exchange("next", Function.identity()));
    assertFalse(refused.tried(), refused.getMessage());
    assertTrue(refused.retryable());
    assertTrue(refused.getMessage().contains("is restarting after 1 failure(s)"), refused.getMessage());
    assertEquals(1, session.starts(), "not started again within its back-off");
  }
}
