package io.chamberlain.cluster;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.nats.AssignmentStore;
import io.chamberlain.nats.LeaderMemo;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.AssignmentDelta;
import io.chamberlain.wire.AssignmentSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.SortedMap;

/**
 * The leader's write path: every assignment is persisted under the leader's term with
 * compare-and-set ({@link AssignmentStore}) and only then broadcast on {@link Addresses#ASSIGNMENT}
 * as the delta against the epoch before, so nobody ever acts on an assignment a newer leader could
 * not see. Writes run one at a time, in
 * the order they were asked for; the epoch of each is the previous persisted one + 1, taken when
 * the write runs. A write the store fences out (another leader took over), or any failure to
 * persist, calls {@code onDeposed}: a leader that cannot persist must not lead.
 *
 * <p>The {@link LeaderMemo} rides along with every write, and is written alone (same epoch) when it
 * changes between assignments. Event-loop confined: call it from the leader's context only.
 */
final class AssignmentPublisher {

  private static final System.Logger LOG = System.getLogger(AssignmentPublisher.class.getName());

  private final Vertx vertx;
  private final AssignmentStore store;
  private final Runnable onDeposed;
  private final InstantSource clock;
  private AssignmentStore.Stored persisted;
  private AssignmentSnapshot published;
  private long publishedAtMillis;
  /** The memo of the latest write asked for (queued or done). */
  private LeaderMemo memo;
  private Future<?> writes = Future.succeededFuture();

  AssignmentPublisher(Vertx vertx, AssignmentStore store, AssignmentStore.Stored claimed, Runnable onDeposed,
      InstantSource clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.store = store;
    this.persisted = claimed;
    this.published = claimed.assignment();
    this.memo = claimed.memo();
    this.onDeposed = onDeposed;
  }

  /** This node's wall clock when {@link #published()} was broadcast (0: not since this leader began). */
  long publishedAtMillis() {
    return publishedAtMillis;
  }

  /** The newest assignment persisted and broadcast. */
  AssignmentSnapshot published() {
    return published;
  }

  long term() {
    return persisted.term();
  }

  /** Queues the next epoch with {@code chambers} (owner and weight of each); {@code reason} is logged. */
  void publish(SortedMap<ChamberKey, AssignmentSnapshot.Entry> chambers, LeaderMemo withMemo, String reason) {
    memo = withMemo;
    writes = writes.transform(ignored -> {
      AssignmentStore.Stored current = persisted;
      AssignmentSnapshot next = new AssignmentSnapshot(published.epoch() + 1, clock.millis(), chambers);
      return vertx.executeBlocking(() -> store.publish(current, next, withMemo))
          .onSuccess(stored -> {
            AssignmentDelta delta = AssignmentDelta.between(published, next);
            persisted = stored;
            published = next;
            publishedAtMillis = clock.millis();
            vertx.eventBus().publish(Addresses.ASSIGNMENT, delta.toJson());
            LOG.log(System.Logger.Level.INFO, "leader: epoch [" + next.epoch() + "] " + reason);
          })
          .onFailure(this::failed);
    });
  }

  /** Persists {@code changed} with the current assignment, if it differs from the memo last written. */
  void remember(LeaderMemo changed) {
    if (changed.equals(memo)) {
      return;
    }
    memo = changed;
    writes = writes.transform(ignored -> {
      AssignmentStore.Stored current = persisted;
      return vertx.executeBlocking(() -> store.publish(current, current.assignment(), changed))
          .onSuccess(stored -> persisted = stored)
          .onFailure(this::failed);
    });
  }

  /** Completes when every write asked for so far is done (failed with the first failure among them). */
  Future<?> written() {
    return writes;
  }

  private void failed(Throwable failure) {
    if (!(failure instanceof AssignmentStore.FencedOutException)) {
      LOG.log(System.Logger.Level.ERROR, "leader: could not persist the assignment: " + failure);
    }
    onDeposed.run();
  }
}
