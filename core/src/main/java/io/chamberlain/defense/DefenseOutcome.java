package io.chamberlain.defense;

/**
 * What evaluating an event produced: a verdict to publish, or nothing because the context was
 * already judged (a redelivery or a replay) — the caller acks and publishes nothing.
 */
public sealed interface DefenseOutcome {

  String contextId();

  record Judged(Verdict verdict) implements DefenseOutcome {
    @Override
    public String contextId() {
      return verdict.contextId();
    }
  }

  record Duplicate(String contextId) implements DefenseOutcome {
  }
}
