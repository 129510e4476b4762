package io.chamberlain.worker.defense;

import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.Verdict;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code noop}: judges every context {@code OK} without reading its trace — what is left is the
 * pipeline itself (ingestion, routing, state, verdict, ack), which is what {@code bin/chamberlain
 * bench} measures with it. Exactly-once still holds: a context already judged is a duplicate, as
 * with every process. Takes no options.
 */
public final class NoopDefenseProvider implements DefenseProcessProvider {

  public static final String NAME = "noop";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public DefenseProcess create(JsonObject options) {
    if (options != null && !options.isEmpty()) {
      throw new IllegalArgumentException("the noop defense takes no options, got " + options.encode());
    }
    return new NoopProcess();
  }

  static final class NoopProcess implements DefenseProcess {

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public boolean readsTrace() {
      return false;
    }

    @Override
    public DefenseOutcome evaluate(DefenseRequest request) {
      String contextId = request.event().contextId();
      if (request.state().alreadyJudged(contextId)) {
        return new DefenseOutcome.Duplicate(contextId);
      }
      request.state().markJudged(contextId);
      return new DefenseOutcome.Judged(new Verdict(contextId, Verdict.Status.OK, List.of(), 0, false));
    }
  }
}
