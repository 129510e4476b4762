package io.chamberlain.gateway;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.ChamberRegistrations;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Tells the leader about chambers this gateway has events for but the assignment does not know
 * ({@link Addresses#CHAMBER_REGISTER}). Announcements are gathered for {@link #GATHER_MILLIS} (or
 * until {@link #MAX_BATCH}) and sent as one {@link ChamberRegistrations}: a burst of a thousand new
 * chambers costs the leader a few messages, not a thousand. A chamber still unknown is announced
 * again at most every {@link #REPEAT_MILLIS} — there may be no leader yet — and forgotten once the
 * assignment knows it or {@link #REPEAT_MILLIS} after it was announced, whichever comes first: a
 * chamber whose events stop coming here (its lane moved to another gateway, its events were
 * dead-lettered) is not remembered for the gateway's life, so what is kept is bounded by the
 * chambers announced within the last second.
 *
 * <p>Event-loop confined (the ingestion verticle's context).
 */
final class ChamberAnnouncer {

  static final long GATHER_MILLIS = 20;
  static final int MAX_BATCH = 500;
  static final long REPEAT_MILLIS = 1_000;

  private final Vertx vertx;
  private final Set<ChamberKey> pending = new LinkedHashSet<>();
  /** When each chamber was last announced, oldest first; entries {@link #REPEAT_MILLIS} old are dropped. */
  private final LinkedHashMap<ChamberKey, Long> lastAnnounced = new LinkedHashMap<>();
  private long flushTimer = -1;

  ChamberAnnouncer(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The assignment does not know {@code chamber}: announce it (unless it was, less than a second ago). */
  void unknown(ChamberKey chamber, long nowMillis) {
    forgetAnnouncedBefore(nowMillis - REPEAT_MILLIS);
    Long last = lastAnnounced.get(chamber);
    if (last != null && nowMillis - last < REPEAT_MILLIS) {
      return;
    }
    lastAnnounced.remove(chamber); // put it last: the map stays in announcement order
    lastAnnounced.put(chamber, nowMillis);
    pending.add(chamber);
    if (pending.size() >= MAX_BATCH) {
      flush();
    } else if (flushTimer < 0) {
      flushTimer = vertx.setTimer(GATHER_MILLIS, id -> flush());
    }
  }

  /** The assignment knows {@code chamber} now. */
  void known(ChamberKey chamber) {
    lastAnnounced.remove(chamber);
  }

  /** How many chambers it remembers announcing (those announced within the last {@link #REPEAT_MILLIS}). */
  int remembered() {
    return lastAnnounced.size();
  }

  /** Drops the announcements made at or before {@code cutoffMillis}: they no longer hold a repeat back. */
  private void forgetAnnouncedBefore(long cutoffMillis) {
    Iterator<Long> oldestFirst = lastAnnounced.values().iterator();
    while (oldestFirst.hasNext() && oldestFirst.next() <= cutoffMillis) {
      oldestFirst.remove();
    }
  }

  private void flush() {
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    if (!pending.isEmpty()) {
      vertx.eventBus().send(Addresses.CHAMBER_REGISTER, new ChamberRegistrations(new ArrayList<>(pending)).toJson());
      pending.clear();
    }
  }
}
