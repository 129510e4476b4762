package io.chamberlain.worker.defense;

import io.chamberlain.defense.ChamberDefenseState;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.Trace;
import io.chamberlain.domain.CompletionEvent;

/**
 * One chamber's defense on its current owner: the process and the chamber's state in memory. It
 * carries out the per-event protocol of {@link ChamberDefenseState}:
 * <pre>
 *   Judgement j = chamber.judge(event, trace);        // mutates the state in memory
 *   if (j.outcome() instanceof Judged) { publish verdict (Nats-Msg-Id = contextId); kv.update(key, j.stateBytes(), revision); }
 *   chamber.commit(j);                                  // on success, then ack
 * </pre>
 * On any failure in between — the process, the publish, the persist — the state in memory may be
 * ahead of the stored one: this object is then <em>spoiled</em> and refuses to judge again; its owner
 * loads the stored state afresh. So a failed publish or persist never leaves the cache claiming a
 * context whose verdict was not published. Only the state in memory is kept, not a serialized copy
 * to roll back to: at the default profile that copy was ~35 KB per chamber — a third of a worker's
 * heap with 2,000 chambers — for a path taken only on failures, which reload from KV instead.
 * Not thread-safe: a chamber handles one event at a time, on a worker thread.
 */
public final class ChamberDefense {

  /** The outcome of one event and, for a judged one, the state to persist if its verdict is published. */
  public record Judgement(DefenseOutcome outcome, byte[] stateBytes) {
  }

  private final DefenseProcess process;
  private final ChamberDefenseState state;
  /** A judgement was made and not committed: the state in memory may be ahead of the stored one. */
  private boolean spoiled;

  /**
   * @param persisted the chamber's state from the KV store, or null for a chamber never seen
   * @throws io.chamberlain.defense.CorruptStateException if {@code persisted} is unreadable
   */
  public ChamberDefense(DefenseProcess process, byte[] persisted) {
    this.process = process;
    this.state = persisted == null ? process.newState() : ChamberDefenseState.fromBytes(persisted);
  }

  /**
   * @throws DefenseProcessException if the process could not judge; this defense is spoiled then
   * @throws IllegalStateException if a judgement before was not committed (load the state afresh)
   */
  public Judgement judge(CompletionEvent event, Trace trace) {
    if (spoiled) {
      throw new IllegalStateException("the chamber's state in memory was left by an uncommitted judgement; load it afresh");
    }
    spoiled = true; // until committed: a process that throws may have changed the state half-way
    DefenseOutcome outcome = process.evaluate(new DefenseRequest(event, trace, state));
    if (!(outcome instanceof DefenseOutcome.Judged)) {
      spoiled = false; // a duplicate changes nothing
      return new Judgement(outcome, null);
    }
    return new Judgement(outcome, state.toBytes());
  }

  /** The judgement's verdict was published and its state persisted (or it was a duplicate). */
  public void commit(Judgement judgement) {
    spoiled = false;
  }

  /** Whether a judgement was left uncommitted: the owner must load the stored state afresh. */
  public boolean spoiled() {
    return spoiled;
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
