package io.chamberlain.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.vertx.core.Completable;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * vertx-hazelcast's cluster manager with its membership callbacks moved off Hazelcast's event
 * threads; what they do is unchanged.
 *
 * <p>Why: on "member removed" the stock manager removes the departed node's event-bus
 * registrations by scanning the whole {@code __vertx.subs} multimap — a blocking all-partition
 * operation that waits until the partition table has settled (vertx-hazelcast #215) — inline, on
 * the Hazelcast event thread that delivered the event. Entry events are striped over the same few
 * threads, so while it waits, other nodes' new registrations do not arrive either: after a frozen
 * leader's node was dropped, a gateway never learnt the new leader's addresses and went on sending
 * status requests to the dead node (one CI run in three). Here both callbacks run on one thread of
 * their own, in the order Hazelcast delivered them, and the event threads stay free.
 *
 * <p>Lifecycle callbacks go the same way: the stock {@code stateChanged} is {@code synchronized} on
 * the manager, like the membership callbacks, and Hazelcast fires {@code MERGING}/{@code MERGED}
 * from the thread that carries out a split-brain merge — which would then wait for a "member
 * removed" still scanning the multimap for a partition table that only the merge can settle. A
 * {@link MergeWatchdog} bounds the merge either way.
 */
final class MembershipOffEventThreads extends HazelcastClusterManager {

  private final ExecutorService membership = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "chamberlain-cluster-membership");
    thread.setDaemon(true);
    return thread;
  });

  private final MergeWatchdog merges;
  /** A member created by the caller ({@link ClusteredVertx.MemberFactory}), which vertx-hazelcast leaves running. */
  private final HazelcastInstance ownMember;

  MembershipOffEventThreads(Config config, MergeWatchdog merges) {
    super(config);
    this.merges = merges;
    this.ownMember = null;
  }

  /** With a member already started; it is shut down when the node leaves. */
  MembershipOffEventThreads(HazelcastInstance member, MergeWatchdog merges) {
    super(member);
    this.merges = merges;
    this.ownMember = member;
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    offEventThreads(() -> super.memberAdded(event));
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    offEventThreads(() -> super.memberRemoved(event));
  }

  @Override
  public void stateChanged(LifecycleEvent event) {
    merges.observe(event.getState());
    offEventThreads(() -> super.stateChanged(event));
  }

  @Override
  public void leave(Completable<Void> promise) {
    super.leave((result, failure) -> {
      membership.shutdown();
      merges.close();
      if (ownMember == null) {
        promise.complete(result, failure);
        return;
      }
      // Shutting a member down blocks (it hands its partitions over): not on the thread that completed the leave.
      java.util.concurrent.CompletableFuture.runAsync(() -> ownMember.getLifecycleService().shutdown())
          .whenComplete((done, shutdownFailed) -> promise.complete(result, failure));
    });
  }

  /** Runs a callback on the membership thread; once the node has left, the stock callbacks would do nothing. */
  private void offEventThreads(Runnable callback) {
    try {
      membership.execute(callback);
    } catch (java.util.concurrent.RejectedExecutionException left) {
      // after leave(): SHUTTING_DOWN and SHUTDOWN still arrive; the manager is inactive
    }
  }
}
