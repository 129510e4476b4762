package io.chamberlain.cluster;

import io.chamberlain.config.LeaderSettings;
import io.chamberlain.nats.AssignmentStore;
import io.nats.client.Connection;
import io.vertx.core.Vertx;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.shareddata.Lock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Campaigns for leadership on a node that may lead; exactly one campaign wins in a healthy cluster.
 *
 * <p>Protocol: (1) take the cluster-wide lock {@value #LOCK_NAME} (a Hazelcast lock, released when
 * its holder leaves or crashes; each try blocks a worker thread, so tries are short and repeated);
 * (2) {@linkplain AssignmentStore#claim claim} the persisted assignment with the next term — the
 * fence; (3) deploy the leader, which continues from the claimed assignment. The lock alone is not
 * split-brain safe (a frozen holder still believes it holds it), the term is: when the leader's
 * next write is fenced out it reports so, and this node undeploys it, releases the lock and
 * campaigns again. The leader may also be lost with its node, in which case another node's
 * campaign takes the released lock. A node that sees fewer than {@code leader.minClusterMembers}
 * members does not campaign or claim, and a leader that drops below steps down: a node cut off
 * alone would otherwise be granted the lock by itself and, seeing no defenders, orphan every chamber.
 *
 * <p>A node that was itself not running for longer than a defender's silence timeout (frozen,
 * paused) holds a stale view of the cluster: on waking, its Hazelcast member drops everyone it has
 * not heard from and, alone, would grant itself the lock. So a stalled node sits out
 * {@link #STALL_QUIET} before it campaigns again — longer than Hazelcast's merge delay
 * ({@code cluster.xml}), by when it has rejoined the real cluster.
 *
 * <p><b>Stepping aside.</b> The gateway that ingests should not also lead: one node failure would
 * then be two failovers at once (the ingestion lane and the leader), and every event would wait for
 * both. So while {@code stepAside} holds (this node ingests) and another member is a candidate, this
 * node hands leadership over if it has it, and takes the lock only when nobody else took it for
 * {@link #DEFER_WHILE_ASIDE} — other candidates campaign without pause, so a free lock that long
 * means there is none able to lead.
 */
public final class LeaderElection extends VerticleBase {

  public static final String LOCK_NAME = "chamberlain.leader";
  private static final System.Logger LOG = System.getLogger(LeaderElection.class.getName());
  private static final Duration LOCK_TRY = Duration.ofMillis(1_000);
  private static final Duration RETRY_AFTER_FAILURE = Duration.ofMillis(500);
  /** How long a node that was stalled waits before campaigning again. */
  static final Duration STALL_QUIET = Duration.ofSeconds(15);
  private static final Duration TICK = Duration.ofMillis(250);
  /** How long a node that steps aside leaves a free lock to the other candidates before it leads anyway. */
  static final Duration DEFER_WHILE_ASIDE = Duration.ofSeconds(3);

  /** Builds the leader for a claimed term; it completes {@code deposed} when it is fenced out. */
  @FunctionalInterface
  public interface LeaderFactory {
    Deployable create(AssignmentStore.Stored claimed, Promise<Void> deposed);
  }

  /**
   * Makes {@code node} a candidate if its settings allow it to lead: opens the assignment store,
   * loads the chamber catalog, and deploys the election.
   */
  public static Future<?> deployIfEnabled(ClusteredVertx.Node node, Connection nats, LeaderSettings settings,
      BooleanSupplier ingestsHere) {
    if (!settings.enabled()) {
      return Future.succeededFuture();
    }
    Vertx vertx = node.vertx();
    String nodeId = node.clusterManager().getNodeId();
    return CatalogLoader.load(vertx, settings.chambersFile()).compose(catalog ->
        vertx.executeBlocking(() -> AssignmentStore.open(nats)).compose(store ->
            vertx.deployVerticle(new LeaderElection(nodeId, store, settings.minClusterMembers(),
                Duration.ofMillis(settings.tuning().deadAfterMillis()),
                () -> node.clusterManager().getHazelcastInstance().getCluster().getMembers().size(),
                () -> ingestsHere.getAsBoolean()
                    && ClusteredVertx.otherLeaderCandidates(node.clusterManager().getHazelcastInstance()) > 0,
                (claimed, deposed) ->
                new LeaderVerticle(nodeId, node.clusterManager().getHazelcastInstance(), store, claimed, deposed,
                    catalog, settings)))));
  }

  private final String nodeId;
  private final AssignmentStore store;
  private final int minClusterMembers;
  private final IntSupplier clusterMembers;
  private final BooleanSupplier stepAside;
  private final LeaderFactory leaderFactory;
  private final long stallMillis;
  private boolean stopped;
  private long lastTick = System.currentTimeMillis();
  private long quietUntil;
  /** Since when this node, stepping aside, has found the lock free (0: not deferring). */
  private long deferringSince;
  private long lastGrantWhileAside;
  /** Completes the current leader's term early, to hand leadership over; {@code null} while not leading. */
  private Promise<Void> leading;

  /**
   * @param stallAfter a gap this long between this node's own ticks means it was not running (a
   *     defender's silence timeout: by then the others have given up on it)
   * @param stepAside whether this node should leave leadership to another candidate now (it ingests)
   */
  public LeaderElection(String nodeId, AssignmentStore store, int minClusterMembers, Duration stallAfter,
      IntSupplier clusterMembers, BooleanSupplier stepAside, LeaderFactory leaderFactory) {
    this.nodeId = nodeId;
    this.store = store;
    this.minClusterMembers = minClusterMembers;
    this.stallMillis = stallAfter.toMillis();
    this.clusterMembers = clusterMembers;
    this.stepAside = stepAside;
    this.leaderFactory = leaderFactory;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(TICK.toMillis(), id -> {
      noticeStall();
      handOverIfAside();
    });
    campaign();
    return Future.succeededFuture();
  }

  private void noticeStall() {
    long now = System.currentTimeMillis();
    if (now - lastTick > stallMillis) {
      quietUntil = now + STALL_QUIET.toMillis();
      LOG.log(System.Logger.Level.WARNING, "election: node [" + nodeId + "] did not run for " + (now - lastTick)
          + " ms; its view of the cluster is stale, not campaigning for " + STALL_QUIET.toMillis() + " ms");
    }
    lastTick = now;
  }

  /** Whether this node may take over now: enough members in view, and no recent stall of its own. */
  private boolean mayLead() {
    noticeStall();
    return System.currentTimeMillis() >= quietUntil && clusterMembers.getAsInt() >= minClusterMembers;
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return Future.succeededFuture();
  }

  /** Leading while stepping aside (this node took the ingestion lane after it began to lead): hand over. */
  private void handOverIfAside() {
    if (leading != null && stepAside.getAsBoolean()) {
      LOG.log(System.Logger.Level.INFO, "election: node [" + nodeId + "] ingests and another candidate can lead;"
          + " handing leadership over");
      leading.tryComplete();
    }
  }

  /**
   * A free lock taken while stepping aside is kept only once it has stayed free for
   * {@link #DEFER_WHILE_ASIDE}: otherwise it goes back, for another candidate.
   */
  private boolean deferToOthers() {
    if (!stepAside.getAsBoolean()) {
      deferringSince = 0;
      return false;
    }
    long now = System.currentTimeMillis();
    // Given back, the lock is tried again after RETRY_AFTER_FAILURE; granted much later means a
    // try failed meanwhile — another candidate held it — so the free stretch starts anew.
    if (deferringSince == 0 || now - lastGrantWhileAside > RETRY_AFTER_FAILURE.plus(LOCK_TRY).toMillis()) {
      deferringSince = now;
    }
    lastGrantWhileAside = now;
    return now - deferringSince < DEFER_WHILE_ASIDE.toMillis();
  }

  /** Not while alone (frozen, partitioned, or the first node up): the lock would be granted by a minority. */
  private void campaign() {
    new LockCampaign(vertx, LOCK_NAME, LOCK_TRY, () -> stopped, this::mayLead, RETRY_AFTER_FAILURE).acquire()
        .onSuccess(this::lead);
  }

  private void lead(Lock lock) {
    if (!mayLead() || deferToOthers()) {
      // The view changed while the lock was granted (a stalled node waking up drops everyone at
      // once), or this node steps aside and leaves the lock to another candidate for now.
      lock.release();
      vertx.setTimer(RETRY_AFTER_FAILURE.toMillis(), id -> campaign());
      return;
    }
    deferringSince = 0;
    vertx.executeBlocking(() -> store.claim(store.load().orElse(null)))
        .compose(claimed -> {
          LOG.log(System.Logger.Level.INFO, "election: node [" + nodeId + "] leads, term [" + claimed.term()
              + "], continuing from epoch [" + claimed.assignment().epoch() + "]");
          Promise<Void> deposed = Promise.promise();
          leading = deposed;
          return vertx.deployVerticle(leaderFactory.create(claimed, deposed))
              .onSuccess(deploymentId -> deposed.future()
                  .onComplete(ignored -> stepDown(lock, deploymentId, claimed.term())));
        })
        .onFailure(failure -> {
          leading = null;
          LOG.log(System.Logger.Level.WARNING, "election: node [" + nodeId + "] could not take over: " + failure);
          lock.release();
          vertx.setTimer(RETRY_AFTER_FAILURE.toMillis(), id -> campaign());
        });
  }

  private void stepDown(Lock lock, String deploymentId, long term) {
    leading = null;
    LOG.log(System.Logger.Level.WARNING, "election: node [" + nodeId + "] steps down from term [" + term
        + "] (fenced out, too few members, or handing over)");
    vertx.undeploy(deploymentId).onComplete(ignored -> {
      lock.release();
      vertx.setTimer(RETRY_AFTER_FAILURE.toMillis(), id -> campaign());
    });
  }
}
