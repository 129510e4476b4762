package io.chamberlain.defense;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The most recent context ids a chamber has judged, for idempotence: a redelivered or replayed
 * event must not produce a second verdict. Bounded; the oldest id is forgotten first, so a replay
 * older than {@code capacity} contexts is judged again (the verdict stream's own deduplication by
 * {@code Nats-Msg-Id} is the second line of defence).
 */
public final class ProcessedContexts {

  private final int capacity;
  private final LinkedHashSet<String> ids = new LinkedHashSet<>();

  public ProcessedContexts(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("processed-context capacity must be ≥ 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  public int capacity() {
    return capacity;
  }

  public boolean contains(String contextId) {
    return ids.contains(contextId);
  }

  public void add(String contextId) {
    if (ids.add(contextId) && ids.size() > capacity) {
      Iterator<String> oldest = ids.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Oldest first. */
  public List<String> inOrder() {
    return new ArrayList<>(ids);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ProcessedContexts that && capacity == that.capacity && inOrder().equals(that.inOrder());
  }

  @Override
  public int hashCode() {
    return ids.hashCode();
  }
}
