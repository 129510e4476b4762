package io.chamberlain.worker.defense;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.assign.StableHash;
import io.chamberlain.defense.ChamberDefenseState;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.Trace;
import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.defense.Verdict;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.testkit.TestTimeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash, hang and garbage handling, with tiny shell programs standing in for a real defense. No
 * sleeps: the tests wait, bounded and scaled by {@link TestTimeouts}, for what they can observe —
 * a marker file the program writes, a restart the session reports, a killed pid.
 */
class ExternalProgramDefenseTest {

  static final ChamberProfile PROFILE = new ChamberProfile(ChamberKey.parse("tool001:1"), 4, 5, 20);
  /** Answers OK for whatever context it is asked about. */
  static final String ECHO_OK = "while read l; do echo \"$l\" | sed -E 's/.*\"contextId\":\"([^\"]*)\".*/{\"contextId\":\"\\1\",\"status\":\"OK\"}/'; done";

  private ExternalProgramDefense defense;

  @AfterEach
  void close() {
    if (defense != null) {
      defense.close();
    }
  }

  static DefenseRequest request(String context, ChamberDefenseState state) {
    return request(PROFILE.chamber(), context, state);
  }

  static DefenseRequest request(ChamberKey chamber, String context, ChamberDefenseState state) {
    Trace trace = new TraceGenerator(new TraceGenerator.Settings(1, 0, 1)).generate(PROFILE, context).trace();
    return new DefenseRequest(new CompletionEvent(chamber, context, 1_700_000_000_000L, context), trace, state);
  }

  private ExternalProgramDefense shell(String script, Duration timeout, Duration backoff) {
    defense = new ExternalProgramDefense("test", List.of("sh", "-c", script), ExternalProgramDefense.Input.INDICATORS,
        1, timeout, backoff, backoff.multipliedBy(4));
    return defense;
  }

  /** What a request past the backoff came to: an outcome, or the failure of the restarted program. */
  private record Attempt(DefenseOutcome outcome, DefenseProcessException failure) {
  }

  /**
   * Repeats {@code request} while the session refuses it for backing off (a refusal changes
   * nothing: no start, no longer backoff), until the program was started again and answered or
   * failed; bounded by {@code within}.
   */
  private Attempt pastBackoff(DefenseRequest request, Duration within) {
    AtomicReference<Attempt> attempt = new AtomicReference<>();
    await("the program restarted after its backoff").atMost(within).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10)).until(() -> {
          try {
            attempt.set(new Attempt(defense.evaluate(request), null));
          } catch (DefenseProcessException failed) {
            if (failed.getMessage().contains("is restarting after")) {
              return false;
            }
            attempt.set(new Attempt(null, failed));
          }
          return true;
        });
    return attempt.get();
  }

  /**
   * A program that answers one context with a 3 MB line (and another with an endless line) is cut off at
   * {@code maxLineChars}: the request fails retryably naming the limit, the program is restarted, and the
   * chamber's next context is judged. Unbounded, the line was read whole into memory and then refused as
   * a bad answer; the endless one grew the heap until the timeout.
   */
  @Test
  void aHugeAnswerLineIsCutOffAtTheLimitAndTheNextContextIsJudged() {
    String script = "while read l; do case \"$l\" in *huge*) head -c 3000000 /dev/zero | tr '\\0' x; echo ;;"
        + " *endless*) yes | tr -d '\\n' ;; *) echo \"$l\" | sed -E 's/.*\"contextId\":\"([^\"]*)\".*/{\"contextId\":\"\\1\",\"status\":\"OK\"}/' ;; esac; done";
    defense = new ExternalProgramDefense("test", List.of("sh", "-c", script), ExternalProgramDefense.Input.INDICATORS,
        1, TestTimeouts.seconds(10), Duration.ofMillis(20), Duration.ofMillis(80), 100_000);
    ChamberDefenseState state = new ChamberDefenseState(16);
    for (String context : List.of("huge-1", "endless-1")) {
      DefenseProcessException tooLong = pastBackoff(request(context, state), TestTimeouts.seconds(10)).failure();
      assertNotNull(tooLong, context + " failed");
      assertTrue(tooLong.retryable(), "a misbehaving program is retried, then the gateway dead-letters");
      assertTrue(tooLong.getMessage().contains("longer than 100000 characters (option maxLineChars)"), tooLong.getMessage());
      assertFalse(state.alreadyJudged(context));
    }
    Attempt next = pastBackoff(request("c-next", state), TestTimeouts.seconds(10));
    assertNotNull(next.outcome(), () -> "the next context is judged: " + next.failure());
    assertEquals(Verdict.Status.OK, assertInstanceOf(DefenseOutcome.Judged.class, next.outcome()).verdict().status());
    assertEquals(3, defense.starts(), "restarted after each cut-off line");
  }

  @Test
  void answersAreVerdictsAndRepliesAreDuplicates() {
    shell(ECHO_OK, Duration.ofSeconds(5), Duration.ofMillis(50));
    ChamberDefenseState state = new ChamberDefenseState(16);
    Verdict verdict = assertInstanceOf(DefenseOutcome.Judged.class, defense.evaluate(request("c1", state))).verdict();
    assertEquals(Verdict.Status.OK, verdict.status());
    assertEquals(new DefenseOutcome.Duplicate("c1"), defense.evaluate(request("c1", state)));
    assertEquals(1, defense.starts(), "the program is kept running");
  }

  @Test
  void aCrashFailsTheRequestRetryablyAndTheProgramIsRestartedAfterBackoff() {
    Duration backoff = TestTimeouts.seconds(1);
    // a back-off longer than one timeout: a request within it is refused at once, as not tried
    shell("read l; echo dying >&2; exit 3", backoff.dividedBy(2), backoff);
    ChamberDefenseState state = new ChamberDefenseState(16);
    DefenseRequest request = request("c1", state);
    long firstCall = System.nanoTime();
    DefenseProcessException crash = assertThrows(DefenseProcessException.class, () -> defense.evaluate(request));
    assertTrue(crash.retryable());
    assertTrue(crash.getMessage().contains("exited with code 3"), crash.getMessage());
    assertTrue(crash.getMessage().contains("restart in " + backoff.toMillis() + " ms"), crash.getMessage());

    long refusing = System.nanoTime();
    DefenseProcessException backingOff = assertThrows(DefenseProcessException.class, () -> defense.evaluate(request));
    assertTrue(backingOff.getMessage().contains("restarting after 1 failure"), backingOff.getMessage());
    assertTrue(backingOff.retryable());
    assertFalse(backingOff.tried(), "the event was not given to the program: the attempt does not count");
    assertTrue(System.nanoTime() - refusing < TestTimeouts.millis(250).toNanos(), "fails fast while backing off");
    assertEquals(1, defense.starts(), "no start while backing off");

    DefenseProcessException secondCrash = pastBackoff(request, TestTimeouts.seconds(10)).failure();
    assertNotNull(secondCrash, "the restarted program crashed again");
    assertTrue(System.nanoTime() - firstCall >= backoff.toNanos(), "restarted only once the backoff passed");
    assertEquals(2, defense.starts(), "restarted once the backoff passed");
    assertTrue(secondCrash.getMessage().contains("exited with code 3"), secondCrash.getMessage());
    assertTrue(secondCrash.getMessage().contains("restart in " + backoff.multipliedBy(2).toMillis() + " ms"),
        "the backoff doubles: " + secondCrash.getMessage());
    assertFalse(state.alreadyJudged("c1"), "a failed request is not marked judged");
  }

  @Test
  void aHangingProgramIsKilledAfterTheTimeout(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("pid");
    Duration timeout = TestTimeouts.millis(300);
    shell("echo $$ > '" + pidFile + "'; while read l; do sleep 30; done", timeout, Duration.ofMillis(10));
    long start = System.nanoTime();
    DefenseProcessException hang = assertThrows(DefenseProcessException.class,
        () -> defense.evaluate(request("c1", new ChamberDefenseState(16))));
    long elapsed = System.nanoTime() - start;
    assertTrue(hang.retryable());
    assertTrue(hang.getMessage().contains("no answer within " + timeout.toMillis() + " ms"), hang.getMessage());
    assertTrue(elapsed >= timeout.toNanos(), "waited for the timeout, " + elapsed + " ns");
    assertTrue(elapsed < TestTimeouts.seconds(2).toNanos(), "gave up soon after the timeout, " + elapsed + " ns");
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    await("the hanging program was killed").atMost(TestTimeouts.seconds(5))
        .until(() -> ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true));
  }

  @Test
  void garbageAndForeignAnswersAreRejected() {
    shell("while read l; do echo 'not json'; done", Duration.ofSeconds(5), Duration.ofMillis(1));
    DefenseProcessException garbage = assertThrows(DefenseProcessException.class,
        () -> defense.evaluate(request("c1", new ChamberDefenseState(16))));
    assertTrue(garbage.getMessage().contains("bad answer: response is not a JSON object: not json"), garbage.getMessage());
    defense.close();

    shell("while read l; do echo '{\"contextId\":\"other\",\"status\":\"OK\"}'; done", Duration.ofSeconds(5), Duration.ofMillis(1));
    DefenseProcessException foreign = assertThrows(DefenseProcessException.class,
        () -> defense.evaluate(request("c1", new ChamberDefenseState(16))));
    assertTrue(foreign.getMessage().contains("for context 'other', expected 'c1'"), foreign.getMessage());
    defense.close();

    shell("while read l; do echo '{\"contextId\":\"c1\",\"status\":\"WARN\",\"violations\":[{\"rule\":\"X\",\"svid\":0,"
        + "\"indicator\":\"mean\",\"severity\":7}]}'; done", Duration.ofSeconds(5), Duration.ofMillis(1));
    DefenseProcessException mistyped = assertThrows(DefenseProcessException.class,
        () -> defense.evaluate(request("c1", new ChamberDefenseState(16))));
    assertTrue(mistyped.getMessage().contains("field 'severity' must be string, was 7"), mistyped.getMessage());
    defense.close();

    shell("while read l; do echo '{\"contextId\":\"c1\",\"status\":\"WARN\"}'; done", Duration.ofSeconds(5), Duration.ofMillis(1));
    DefenseProcessException inconsistent = assertThrows(DefenseProcessException.class,
        () -> defense.evaluate(request("c1", new ChamberDefenseState(16))));
    assertTrue(inconsistent.getMessage().contains("status WARN does not match its violations (most severe: OK)"),
        inconsistent.getMessage());
  }

  @Test
  void recoversAfterACrashOnTheFirstStart(@TempDir Path dir) {
    Path marker = dir.resolve("started-once");
    shell("if [ -f '" + marker + "' ]; then " + ECHO_OK + "; else touch '" + marker + "'; exit 1; fi",
        Duration.ofSeconds(5), Duration.ofMillis(20));
    ChamberDefenseState state = new ChamberDefenseState(16);
    DefenseRequest request = request("c1", state);
    assertThrows(DefenseProcessException.class, () -> defense.evaluate(request));
    Attempt restarted = pastBackoff(request, TestTimeouts.seconds(10));
    assertNull(restarted.failure(), () -> "the restarted program failed: " + restarted.failure().getMessage());
    assertInstanceOf(DefenseOutcome.Judged.class, restarted.outcome());
    assertEquals(2, defense.starts());
  }

  /** Two chambers on different program instances: one hanging does not hold up the other. */
  @Test
  void aHangingInstanceDoesNotBlockChambersOnAnotherInstance(@TempDir Path dir) throws Exception {
    Path hangReceived = dir.resolve("hang-received");
    String script = "while read l; do case \"$l\" in *'\"contextId\":\"hang'*) touch '" + hangReceived + "'; sleep 30;; esac; "
        + "echo \"$l\" | sed -E 's/.*\"contextId\":\"([^\"]*)\".*/{\"contextId\":\"\\1\",\"status\":\"OK\"}/'; done";
    Duration hangTimeout = TestTimeouts.seconds(3);
    defense = new ExternalProgramDefense("test", List.of("sh", "-c", script), ExternalProgramDefense.Input.INDICATORS,
        2, hangTimeout, Duration.ofMillis(10), Duration.ofMillis(10));
    ChamberKey stuck = ChamberKey.parse("tool001:1");
    ChamberKey other = IntStream.range(2, 100).mapToObj(i -> ChamberKey.parse("tool001:" + i))
        .filter(key -> Math.floorMod(StableHash.of(key.toString()), 2L) != Math.floorMod(StableHash.of(stuck.toString()), 2L))
        .findFirst().orElseThrow();
    CompletableFuture<DefenseOutcome> hanging = CompletableFuture.supplyAsync(
        () -> defense.evaluate(request(stuck, "hang-1", new ChamberDefenseState(16))));
    await("the hanging request reached its program").atMost(TestTimeouts.seconds(5)).until(() -> Files.exists(hangReceived));

    long start = System.nanoTime();
    assertInstanceOf(DefenseOutcome.Judged.class, defense.evaluate(request(other, "c1", new ChamberDefenseState(16))));
    assertFalse(hanging.isDone(), "the other chamber was answered while its neighbour still hung");
    assertTrue(System.nanoTime() - start < TestTimeouts.seconds(1).toNanos(), "the other chamber was not held up");
    ExecutionException timedOut = assertThrows(ExecutionException.class,
        () -> hanging.get(hangTimeout.plus(TestTimeouts.seconds(5)).toMillis(), TimeUnit.MILLISECONDS));
    DefenseProcessException hang = assertInstanceOf(DefenseProcessException.class, timedOut.getCause());
    assertTrue(hang.getMessage().contains("no answer within " + hangTimeout.toMillis() + " ms"), hang.getMessage());
  }

  @Test
  void unreadableProgramStateIsDroppedNotFatal() {
    shell(ECHO_OK, Duration.ofSeconds(5), Duration.ofMillis(50));
    ChamberDefenseState state = new ChamberDefenseState(16);
    state.pluginState(new byte[] {'{', 'x'});
    assertInstanceOf(DefenseOutcome.Judged.class, defense.evaluate(request("c1", state)));
  }

  @Test
  void aMissingProgramIsAClearRetryableError() {
    defense = new ExternalProgramDefense("test", List.of("/nonexistent/defense"), ExternalProgramDefense.Input.INDICATORS,
        1, Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMillis(10));
    DefenseProcessException missing = assertThrows(DefenseProcessException.class,
        () -> defense.evaluate(request("c1", new ChamberDefenseState(16))));
    assertTrue(missing.getMessage().contains("could not start [/nonexistent/defense]"), missing.getMessage());
  }
}
