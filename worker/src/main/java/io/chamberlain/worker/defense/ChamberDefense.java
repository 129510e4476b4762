package io.chamberlain.worker.defense;

import io.chamberlain.defense.ChamberDefenseState;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.Trace;
import io.chamberlain.domain.CompletionEvent;

/**
 * One chamber's defense on its current owner: the process, the cached state, and the bytes last
 * persisted to the KV store. It carries out the per-event protocol of {@link ChamberDefenseState}:
 * <pre>
 *   Judgement j = chamber.judge(event, trace);        // mutates the cached state
 *   if (j.outcome() instanceof Judged) { publish verdict (Nats-Msg-Id = contextId); kv.update(key, j.stateBytes(), revision); }
 *   chamber.commit(j);                                  // on success, then ack
 *   chamber.rollback();                                 // on any failure before that, then nak / retry
 * </pre>
 * so a failed publish or persist never leaves the cache claiming a context whose verdict was not
 * published. Not thread-safe: a chamber handles one event at a time, on a worker thread.
 */
public final class ChamberDefense {

  /** The outcome of one event and the state to persist if it is published. */
  public record Judgement(DefenseOutcome outcome, byte[] stateBytes) {
  }

  private final DefenseProcess process;
  private ChamberDefenseState state;
  private byte[] persisted;

  /**
   * @param persisted the chamber's state from the KV store, or null for a chamber never seen
   * @throws io.chamberlain.defense.CorruptStateException if {@code persisted} is unreadable
   */
  public ChamberDefense(DefenseProcess process, byte[] persisted) {
    this.process = process;
    this.state = persisted == null ? process.newState() : ChamberDefenseState.fromBytes(persisted);
    this.persisted = persisted;
  }

  /** @throws DefenseProcessException if the process could not judge; the state is then unchanged */
  public Judgement judge(CompletionEvent event, Trace trace) {
    DefenseOutcome outcome;
    try {
      outcome = process.evaluate(new DefenseRequest(event, trace, state));
    } catch (RuntimeException failed) {
      rollback();
      throw failed;
    }
    return new Judgement(outcome, outcome instanceof DefenseOutcome.Judged ? state.toBytes() : persisted);
  }

  /** The judgement's verdict was published and its state persisted. */
  public void commit(Judgement judgement) {
    persisted = judgement.stateBytes();
  }

  /** Something after {@link #judge} failed: forget the unpublished judgement. */
  public void rollback() {
    state = persisted == null ? process.newState() : ChamberDefenseState.fromBytes(persisted);
  }

  /** Whether the chamber's process reads traces ({@link DefenseProcess#readsTrace}). */
  public boolean readsTrace() {
    return process.readsTrace();
  }

  /** The cached state; read-only use (metrics, status). */
  public ChamberDefenseState state() {
    return state;
  }
}
