package io.chamberlain.defense;

import java.util.Arrays;
import java.util.Objects;

/**
 * Everything a chamber's defense remembers between contexts: its control limits, the recent
 * standardized history the run rules read, the context ids already judged, and an opaque blob
 * for a non-built-in process. The chamber verticle keeps it in memory (the cache) and persists
 * {@link #toBytes()} to JetStream KV after every event, so the next owner continues where this
 * one stopped. Not thread-safe: one chamber is processed by one thread at a time.
 *
 * <p>The shape (SVID count, history length) is fixed on the first judged context; if the
 * chamber's SVID count changes, limits and history start over (the ids are kept).
 *
 * <p>Protocol for the owner of a chamber, per event: evaluate (this mutates the state and marks
 * the context judged) → publish the verdict with {@code Nats-Msg-Id = contextId} → persist
 * {@link #toBytes()} with compare-and-set → ack. If publishing or persisting fails, go back to the
 * last persisted bytes ({@link #fromBytes}) before retrying: the in-memory state already counts
 * the context as judged, so a retry on it would be a {@code Duplicate} and the verdict would never
 * be published. A crash between publish and persist is safe: the next owner judges the context
 * again from the older state, gets the same verdict, and JetStream drops the duplicate publish.
 */
public final class ChamberDefenseState {

  private int svidCount;
  private int windows;
  private ControlLimits limits;
  private ZHistory history;
  private final ProcessedContexts processed;
  private long contextsJudged;
  private byte[] pluginState;

  public ChamberDefenseState(int processedIdCapacity) {
    this(0, 0, null, null, new ProcessedContexts(processedIdCapacity), 0, null);
  }

  ChamberDefenseState(int svidCount, int windows, ControlLimits limits, ZHistory history, ProcessedContexts processed,
                      long contextsJudged, byte[] pluginState) {
    this.svidCount = svidCount;
    this.windows = windows;
    this.limits = limits;
    this.history = history;
    this.processed = processed;
    this.contextsJudged = contextsJudged;
    this.pluginState = pluginState;
  }

  /** @throws CorruptStateException if the bytes are not a state this version can read */
  public static ChamberDefenseState fromBytes(byte[] bytes) {
    return ChamberStateCodec.decode(bytes);
  }

  public byte[] toBytes() {
    return ChamberStateCodec.encode(this);
  }

  /** Makes the limits and history fit these indicator values; true if they were reset. */
  boolean shapeFor(IndicatorValues values, int historyCapacity) {
    boolean reset = svidCount != values.svidCount() || windows != values.windows();
    int seriesCount = values.seriesCount();
    if (reset) {
      this.svidCount = values.svidCount();
      this.windows = values.windows();
      this.limits = new ControlLimits(seriesCount);
    }
    if (reset || history.capacity() != historyCapacity) {
      this.history = new ZHistory(seriesCount, historyCapacity);
    }
    return reset;
  }

  /** Remembers that {@code contextId} got its verdict; for processes other than the built-in one. */
  public void markJudged(String contextId) {
    processed.add(contextId);
    contextsJudged++;
  }

  public boolean alreadyJudged(String contextId) {
    return processed.contains(contextId);
  }

  /** 0 until the first context was judged. */
  public int svidCount() {
    return svidCount;
  }

  /** Indicator windows per SVID (1 = whole context only); 0 until the first context was judged. */
  public int windows() {
    return windows;
  }

  public long contextsJudged() {
    return contextsJudged;
  }

  /** Null until the first context was judged. */
  public ControlLimits limits() {
    return limits;
  }

  ZHistory history() {
    return history;
  }

  ProcessedContexts processed() {
    return processed;
  }

  /** Opaque state of a plug-in process (e.g. an external program's running statistics), or null. */
  public byte[] pluginState() {
    return pluginState == null ? null : pluginState.clone();
  }

  public void pluginState(byte[] state) {
    this.pluginState = state == null ? null : state.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ChamberDefenseState that && svidCount == that.svidCount && windows == that.windows
        && contextsJudged == that.contextsJudged && Objects.equals(limits, that.limits)
        && Objects.equals(history, that.history) && processed.equals(that.processed)
        && Arrays.equals(pluginState, that.pluginState);
  }

  @Override
  public int hashCode() {
    return Objects.hash(svidCount, contextsJudged, limits);
  }
}
