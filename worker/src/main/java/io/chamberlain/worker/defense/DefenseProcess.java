package io.chamberlain.worker.defense;

import io.chamberlain.defense.ChamberDefenseState;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.DefenseSettings;

/**
 * A defense process: judges one context of one chamber. The SPI behind the built-in process and
 * the external-program adapter; add more with a {@link DefenseProcessProvider}.
 *
 * <p>Threading contract: {@code evaluate} may block (CPU work, a child process) and is called on
 * a worker thread (e.g. {@code vertx.executeBlocking}), never on an event loop. It is called for
 * one chamber at a time per chamber, possibly for many chambers concurrently.
 */
public interface DefenseProcess extends AutoCloseable {

  /** The provider name it was created by, e.g. {@code builtin}. */
  String name();

  /**
   * @return a verdict, or {@link io.chamberlain.defense.DefenseOutcome.Duplicate} if the context
   *     was judged already (then nothing is published)
   * @throws DefenseProcessException if no verdict could be produced; {@link
   *     DefenseProcessException#retryable()} tells the caller whether to redeliver or dead-letter
   */
  DefenseOutcome evaluate(DefenseRequest request);

  /**
   * Whether {@link #evaluate} looks at the trace. A process that does not is handed {@link
   * io.chamberlain.defense.Trace#NONE} and the trace is never fetched or generated.
   */
  default boolean readsTrace() {
    return true;
  }

  /** State for a chamber seen for the first time (nothing in the KV store yet). */
  default ChamberDefenseState newState() {
    return new ChamberDefenseState(DefenseSettings.DEFAULTS.processedIdCapacity());
  }

  /** Releases child processes and threads; the default has none. */
  @Override
  default void close() {
  }
}
