package io.chamberlain.worker;

import io.chamberlain.defense.ChamberDefenseState;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.worker.defense.BuiltInDefenseProvider;
import io.chamberlain.worker.defense.DefenseProcess;
import io.chamberlain.worker.defense.DefenseProcessProvider;
import io.chamberlain.worker.defense.DefenseRequest;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test-only {@code gated} defense process: the built-in one, except that each evaluation first
 * waits at the gate named by the option {@code gate} until a test opens it — a defender "frozen"
 * in the middle of an event, without freezing the test's JVM.
 */
public final class GatedDefenseProvider implements DefenseProcessProvider {

  private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

  /** Closes {@code gate}: evaluations at it wait until {@link #open}. */
  static void close(String gate) {
    GATES.put(gate, new CountDownLatch(1));
  }

  static void open(String gate) {
    CountDownLatch latch = GATES.get(gate);
    if (latch != null) {
      latch.countDown();
    }
  }

  @Override
  public String name() {
    return "gated";
  }

  @Override
  public DefenseProcess create(JsonObject options) {
    String gate = options.getString("gate");
    DefenseProcess builtIn = new BuiltInDefenseProvider().create(new JsonObject());
    return new DefenseProcess() {
      @Override
      public String name() {
        return "gated";
      }

      @Override
      public ChamberDefenseState newState() {
        return builtIn.newState();
      }

      @Override
      public DefenseOutcome evaluate(DefenseRequest request) {
        CountDownLatch latch = GATES.get(gate);
        try {
          if (latch != null && !latch.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gate " + gate + " never opened");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        return builtIn.evaluate(request);
      }
    };
  }
}
