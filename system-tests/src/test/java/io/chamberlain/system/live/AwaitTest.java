package io.chamberlain.system.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.testkit.TestTimeouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The harness's one bounded wait: "not yet" on I/O failures, fail fast on anything else, named timeouts. */
class AwaitTest {

  @Test
  void aConditionThatHoldsIsPolledOnceAtOnce() {
    AtomicInteger polls = new AtomicInteger();
    Duration took = Await.until("holds", TestTimeouts.seconds(5), () -> polls.incrementAndGet() > 0);
    assertEquals(1, polls.get());
    assertTrue(took.compareTo(Await.POLL_INTERVAL) < 0, "no poll delay: " + took);
  }

  @Test
  void anIoFailureMeansNotYetAndThePollGoesOnOnTheCallersThread() {
    Thread caller = Thread.currentThread();
    AtomicInteger polls = new AtomicInteger();
    Await.until("up after two refusals", TestTimeouts.seconds(5), () -> {
      assertEquals(caller, Thread.currentThread());
      if (polls.incrementAndGet() <= 2) {
        throw new UncheckedIOException(new IOException("connection refused"));
      }
      return true;
    });
    assertEquals(3, polls.get());
  }

  @Test
  void anyOtherExceptionEndsTheWaitAtOnce() {
    AtomicInteger polls = new AtomicInteger();
    IllegalStateException died = assertThrows(IllegalStateException.class,
        () -> Await.until("a dead gateway", TestTimeouts.seconds(30), () -> {
          polls.incrementAndGet();
          throw new IllegalStateException("gateway died");
        }));
    assertEquals("gateway died", died.getMessage());
    assertEquals(1, polls.get());
  }

  @Test
  void aTimeoutNamesWhatWasAwaitedAndKeepsTheLastIoFailure() {
    Await.TimeoutException timedOut = assertThrows(Await.TimeoutException.class,
        () -> Await.until("nats-server listening", Duration.ofMillis(300), () -> {
          throw new UncheckedIOException(new IOException("connection refused"));
        }));
    assertEquals("timed out after 300 ms waiting for: nats-server listening", timedOut.getMessage());
    Throwable cause = timedOut;
    while (cause != null && !(cause instanceof UncheckedIOException)) {
      cause = cause.getCause();
    }
    assertTrue(cause != null && cause.getMessage().contains("connection refused"), "the last failure is kept");
  }
}
