package io.chamberlain.system.live.scenario;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.system.live.Await;
import io.chamberlain.system.live.ChamberCatalogFile;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.testkit.TestTimeouts;
import io.chamberlain.system.live.VerdictAuditor;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * One of the reference topology changes played on real processes ({@link ProcessCluster}): a
 * {@code nats-server}, gateway and worker JVMs, a steady {@link Load} and, at the end, the
 * {@link VerdictAuditor}'s audit of every verdict. A
 * scenario measures into a {@link ScenarioResult} and checks what DESIGN.md guarantees; it never
 * looks inside a node — only processes, NATS and the status API.
 *
 * <p>The same classes run as integration tests (each {@code *IT} calls {@link #run()} and
 * {@link ScenarioResult#assertPassed()}) and as {@code bin/chamberlain scenarios --live}, which
 * prints their numbers as a table. Every wait is bounded and scaled by {@link TestTimeouts}.
 */
public abstract class LiveScenario {

  /** The default load: an event per chamber every 1.5 s. */
  protected static final int CHAMBERS = 30;
  protected static final double EVENTS_PER_SECOND = 20;

  private final String name;
  private final String description;
  private final String referenceDesign;
  private final String target;

  /**
   * @param name short name, also the log directory prefix ({@code system-tests/target/live-runs/<name>-…})
   * @param description what happens, in one line
   * @param referenceDesign what the reference design ({@code 000_b4dc323a644510a9.txt}) reports for the same change
   * @param target DESIGN.md's target for it
   */
  protected LiveScenario(String name, String description, String referenceDesign, String target) {
    this.name = name;
    this.description = description;
    this.referenceDesign = referenceDesign;
    this.target = target;
  }

  public final String name() {
    return name;
  }

  public final String description() {
    return description;
  }

  public final String referenceDesign() {
    return referenceDesign;
  }

  public final String target() {
    return target;
  }

  /** How the cluster's nodes are configured; scenarios adjust the defaults. */
  protected ClusterOptions options() {
    return ClusterOptions.defaults();
  }

  /** Plays the scenario on a started cluster directory (nothing runs yet) and records into {@code result}. */
  protected abstract void play(ProcessCluster cluster, ScenarioResult result) throws Exception;

  /** Runs the scenario once, start to end; never throws — an abort is part of the result. */
  public final ScenarioResult run() {
    ScenarioResult result = new ScenarioResult(name());
    try (ProcessCluster cluster = ProcessCluster.create(name(), options())) {
      result.logsIn(cluster.runDir());
      play(cluster, result);
    } catch (Exception | AssertionError e) {
      result.aborted(e);
    }
    return result;
  }

  protected static List<ChamberKey> chambers() {
    return ChamberCatalogFile.chambers(CHAMBERS);
  }

  /** Starts nats-server, the gateway with {@code chambers} and the {@code defenders}, and waits until they settle. */
  protected static void startCluster(ProcessCluster cluster, List<ChamberKey> chambers, Collection<String> defenders) {
    cluster.startNats();
    cluster.startGateway(chambers);
    defenders.forEach(cluster::startWorker);
    if (!defenders.isEmpty()) {
      cluster.awaitSettled(Set.copyOf(defenders), TestTimeouts.seconds(90));
    }
  }

  /**
   * Waits until every chamber's latest verdict comes from its assigned owner — the cluster serves
   * the assignment, so a handover seen later is caused by what the scenario does next — and
   * returns the chambers {@code defender} owns then.
   */
  protected static Set<ChamberKey> awaitServing(ProcessCluster cluster, String defender) {
    VerdictAuditor auditor = new VerdictAuditor(cluster.natsUrl());
    Await.until("every chamber judged by its assigned owner", TestTimeouts.seconds(60),
        () -> Recoveries.servingAssignment(auditor.readAll(), cluster.api().assignment()));
    return cluster.api().chambersOf(defender);
  }
}
