package io.chamberlain.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.assign.Assignment;
import io.chamberlain.capacity.CapacityPlanner;
import io.chamberlain.capacity.ScaleInForecast;
import io.chamberlain.domain.ChamberKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The leader under Kubernetes, simulated second by second: a StatefulSet of defenders
 * ({@code chamberlain-worker-N}, podManagementPolicy Parallel) driven by the shipped HPA
 * ({@code deploy/k8s/autoscaling/hpa/hpa.yaml}: bounds, stabilization windows, policies, the default
 * 10 % tolerance) on the leader's {@code defenders_needed}, with the shipped drain window
 * ({@code deploy/k8s/autoscaling/leader}). Around the pure {@link Leader} it does what the leader's
 * adapter does: heartbeats of drained defenders are held out, the capacity plan runs every 5 s and
 * feeds the {@link ScaleInForecast} and {@link Drains}; a pod's SIGTERM announces a restart and the
 * process exits two seconds later; a new process joins eight seconds after its pod was created.
 *
 * <p>Checked: a rolling update of 30 pods (highest ordinal first, each waiting for the previous
 * one's readiness) moves no home; scaling 30 → 64 → 30 places every chamber on running pods, declares
 * nobody dead, and every pod the scale-in removes was drained and held nothing when its SIGTERM came.
 */
class StatefulSetSimulationTest {

  private static final Path DEPLOY = Path.of("..", "deploy", "k8s", "autoscaling").toAbsolutePath().normalize();
  private static final String STATEFUL_SET = "chamberlain-worker";
  private static final int CHAMBERS = 600;
  private static final long POD_START_MILLIS = 8_000;
  private static final long HANDOFF_MILLIS = 2_000;
  private static final long HPA_SYNC_MILLIS = 15_000;
  private static final long PLAN_EVERY_MILLIS = 5_000;
  /** Contexts per second of every chamber; the cost per context sets the need. */
  private static final double RATE = 0.1;

  @Test
  void aRollingUpdateOfThirtyPodsMovesNoHome() {
    Cluster cluster = new Cluster(Hpa.shipped(), 0);
    cluster.scaleTo(30);
    cluster.runFor(60_000);
    Map<ChamberKey, String> homesBefore = cluster.homes();
    assertEquals(30, cluster.ownersInUse(), "every defender owns chambers before the update");
    cluster.homeMoves = 0;

    cluster.rollingUpdate("2.0");

    assertEquals(0, cluster.homeMoves, "a same-id restart moves no home, pod after pod");
    assertEquals(homesBefore, cluster.homes());
    assertTrue(cluster.pods.values().stream().allMatch(pod -> pod.version.equals("2.0")));
    assertEquals(0, cluster.declaredDead, "nobody was declared dead");
  }

  @Test
  void scalingThirtyToSixtyFourAndBackDrainsEveryPodBeforeTheScaleInRemovesIt() {
    Hpa hpa = Hpa.shipped();
    Cluster cluster = new Cluster(hpa, leaderDrainWindowMillis());
    cluster.costMillis = 345; // 600 × 0.1/s × 345 ms = 20.7 s of work per second: 30 defenders at 70 %
    cluster.scaleTo(30);
    cluster.runWithAutoscaler(120_000);
    assertEquals(30, cluster.pods.size());

    cluster.costMillis = 745; // 44.7 s per second: 64 defenders
    cluster.runWithAutoscaler(180_000);
    assertEquals(64, cluster.pods.size(), "scaled up to what the work needs");
    cluster.runFor(30_000);
    assertEquals(64, cluster.ownersInUse(), "the new pods got chambers");
    assertEquals(0, cluster.drains.all().size());

    cluster.costMillis = 230; // a quiet shift: 13.8 s per second, 20 defenders; the HPA keeps its minimum
    cluster.runWithAutoscaler(45 * 60_000);
    assertEquals(30, cluster.pods.size(), "scaled back in");
    assertEquals(34, cluster.removedByScaleIn.size());
    assertTrue(cluster.removedUndrained.isEmpty(), "removed while not drained: " + cluster.removedUndrained);
    assertTrue(cluster.removedHolding.isEmpty(), "removed while holding chambers: " + cluster.removedHolding);
    assertEquals(30, cluster.ownersInUse());
    assertTrue(cluster.homes().values().stream().allMatch(cluster.pods::containsKey), "every chamber on a running pod");
    assertEquals(0, cluster.declaredDead, "nobody was declared dead: every pod left drained");
  }

  @Test
  void withoutTheDrainWindowTheScaleInRemovesPodsThatStillHoldChambers() {
    Cluster cluster = new Cluster(Hpa.shipped(), 0);
    cluster.costMillis = 745;
    cluster.scaleTo(64);
    cluster.runWithAutoscaler(60_000);
    cluster.costMillis = 230;
    cluster.runWithAutoscaler(10 * 60_000);
    assertTrue(!cluster.removedHolding.isEmpty(), "the check above can fail: pods went away holding chambers");
  }

  /** The drain window the leader component ships (merged into every node's configuration). */
  @SuppressWarnings("unchecked")
  private static long leaderDrainWindowMillis() {
    Map<String, Object> component = load(DEPLOY.resolve("leader").resolve("kustomization.yaml"));
    for (Map<String, Object> generator : (List<Map<String, Object>>) component.get("configMapGenerator")) {
      for (String literal : (List<String>) generator.get("literals")) {
        if (literal.startsWith("CHAMBERLAIN_LEADER_AUTOSCALE_DRAIN_BEFORE_SCALE_IN_MILLIS=")) {
          return Long.parseLong(literal.substring(literal.indexOf('=') + 1));
        }
      }
    }
    throw new AssertionError("the leader component sets no drain window");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(Path file) {
    try {
      return new Yaml().load(Files.readString(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The shipped HPA's numbers. */
  private record Hpa(int min, int max, long upWindowMillis, int upPercent, long upPeriodMillis, long downWindowMillis,
      int downPods, long downPeriodMillis) {

    @SuppressWarnings("unchecked")
    static Hpa shipped() {
      Map<String, Object> spec = (Map<String, Object>) load(DEPLOY.resolve("hpa").resolve("hpa.yaml")).get("spec");
      Map<String, Object> behavior = (Map<String, Object>) spec.get("behavior");
      Map<String, Object> up = (Map<String, Object>) behavior.get("scaleUp");
      Map<String, Object> down = (Map<String, Object>) behavior.get("scaleDown");
      Map<String, Object> upPolicy = ((List<Map<String, Object>>) up.get("policies")).get(0);
      Map<String, Object> downPolicy = ((List<Map<String, Object>>) down.get("policies")).get(0);
      assertEquals("Percent", upPolicy.get("type"));
      assertEquals("Pods", downPolicy.get("type"));
      return new Hpa((Integer) spec.get("minReplicas"), (Integer) spec.get("maxReplicas"),
          1000L * (Integer) up.get("stabilizationWindowSeconds"), (Integer) upPolicy.get("value"),
          1000L * (Integer) upPolicy.get("periodSeconds"), 1000L * (Integer) down.get("stabilizationWindowSeconds"),
          (Integer) downPolicy.get("value"), 1000L * (Integer) downPolicy.get("periodSeconds"));
    }
  }

  /** One pod: its process starts at {@code startsAt}, and after a SIGTERM it exits at {@code exitsAt}. */
  private static final class Pod {
    final String id;
    String version;
    long startsAt;
    long exitsAt = Long.MAX_VALUE;
    boolean running;
    boolean removing;

    Pod(String id, String version, long startsAt) {
      this.id = id;
      this.version = version;
      this.startsAt = startsAt;
    }
  }

  /** The StatefulSet, the HPA and the leader's adapter around one pure leader. */
  private static final class Cluster {
    final Hpa hpa;
    final LeaderHarness harness;
    final Drains drains = new Drains();
    final ScaleInForecast forecast;
    final CapacityPlanner planner;
    final SortedMap<String, Pod> pods = new TreeMap<>();
    final List<String> removedByScaleIn = new ArrayList<>();
    final List<String> removedUndrained = new ArrayList<>();
    final List<String> removedHolding = new ArrayList<>();
    /** (time, recommendation) of every HPA sync. */
    final Deque<long[]> recommendations = new ArrayDeque<>();
    final Deque<long[]> scaleEvents = new ArrayDeque<>();
    double costMillis = 345;
    int needed;
    int homeMoves;
    int declaredDead;
    int replicas;
    String version = "1.0";
    private Assignment lastPublished = Assignment.EMPTY;

    Cluster(Hpa hpa, long drainWindowMillis) {
      this.hpa = hpa;
      this.planner = new CapacityPlanner(0.7, 1000, 5000, hpa.min());
      this.forecast = drainWindowMillis > 0 ? new ScaleInForecast(drainWindowMillis, hpa.min()) : null;
      this.harness = LeaderHarness.coldStart(LeaderHarness.chambers(CHAMBERS));
      harness.observer = (input, decisions) -> decisions.forEach(this::observe);
    }

    void observe(LeaderDecision decision) {
      if (decision instanceof LeaderDecision.PublishAssignment publish) {
        Assignment next = publish.assignment();
        for (var home : next.owners().entrySet()) {
          String before = lastPublished.ownerOf(home.getKey());
          if (before != null && !before.equals(home.getValue())) {
            homeMoves++;
          }
        }
        lastPublished = next;
      } else if (decision instanceof LeaderDecision.DefenderDeclaredDead) {
        declaredDead++;
      }
    }

    Map<ChamberKey, String> homes() {
      return new TreeMap<>(harness.leader.assignment().owners());
    }

    long ownersInUse() {
      return harness.leader.assignment().owners().values().stream().distinct().count();
    }

    /** The StatefulSet controller: creates missing ordinals at once (Parallel), SIGTERMs those above the replicas. */
    void scaleTo(int count) {
      replicas = count;
      for (int ordinal = 0; ordinal < count; ordinal++) {
        pods.computeIfAbsent(STATEFUL_SET + "-" + ordinal, id -> new Pod(id, version, harness.now + POD_START_MILLIS));
      }
      for (Pod pod : pods.values()) {
        if (ordinalOf(pod.id) >= count && !pod.removing) {
          pod.removing = true;
          removedByScaleIn.add(pod.id);
          if (!drains.isDrained(pod.id)) {
            removedUndrained.add(pod.id);
          }
          Assignment now = harness.leader.assignment();
          if (now.owners().containsValue(pod.id) || now.leases().containsValue(pod.id)) {
            removedHolding.add(pod.id);
          }
          sigterm(pod);
        }
      }
    }

    /** RollingUpdate: highest ordinal first, the next pod once the updated one is ready. */
    void rollingUpdate(String newVersion) {
      version = newVersion;
      List<Pod> order = new ArrayList<>(pods.values());
      order.sort((a, b) -> Long.compare(ordinalOf(b.id), ordinalOf(a.id)));
      for (Pod pod : order) {
        sigterm(pod);
        long deadline = harness.now + 120_000;
        while (!(pod.running && pod.version.equals(newVersion) && ready(pod))) {
          assertTrue(harness.now < deadline, pod.id + " never became ready again");
          tick();
        }
      }
      runFor(30_000);
    }

    boolean ready(Pod pod) {
      return harness.leader.defenderStatuses().get(pod.id) == DefenderStatus.LIVE
          && harness.leader.assignment().epoch() > 0;
    }

    void sigterm(Pod pod) {
      if (pod.running && !drains.isDrained(pod.id)) {
        harness.send(new LeaderInput.RestartAnnounced(harness.now, pod.id));
      }
      pod.exitsAt = harness.now + HANDOFF_MILLIS;
    }

    void runFor(long millis) {
      long until = harness.now + millis;
      while (harness.now < until) {
        tick();
      }
    }

    void runWithAutoscaler(long millis) {
      long until = harness.now + millis;
      while (harness.now < until) {
        tick();
        if (harness.now % HPA_SYNC_MILLIS == 0) {
          autoscale();
        }
      }
    }

    /** One second: processes start and exit, running ones heartbeat, the plan runs every 5 s. */
    void tick() {
      long now = harness.now + 1000;
      harness.advanceTo(now);
      for (Pod pod : List.copyOf(pods.values())) {
        if (pod.exitsAt <= now) {
          exited(pod, now);
        } else if (!pod.running && pod.startsAt <= now) {
          pod.running = true;
          if (!drains.isDrained(pod.id)) {
            harness.send(new LeaderInput.DefenderJoined(now, pod.id, pod.version, 1.0));
          }
        } else if (pod.running && !drains.isDrained(pod.id)) {
          // As the adapter's directory: unknown, dead or restarting from a new process joins; the
          // process that announced the restart is not heard while it hands over.
          DefenderStatus status = harness.leader.defenderStatuses().get(pod.id);
          boolean handingOver = pod.exitsAt != Long.MAX_VALUE;
          if (status == null || status == DefenderStatus.DEAD || (status == DefenderStatus.RESTARTING && !handingOver)) {
            harness.send(new LeaderInput.DefenderJoined(now, pod.id, pod.version, 1.0));
          } else if (status != DefenderStatus.RESTARTING) {
            harness.send(new LeaderInput.HeartbeatReceived(now, pod.id));
          }
        }
      }
      if (now % PLAN_EVERY_MILLIS == 0) {
        plan(now);
      }
    }

    /** The old process is gone (the cluster drops its member); a rolled pod starts again with the new version. */
    void exited(Pod pod, long now) {
      pod.running = false;
      pod.exitsAt = Long.MAX_VALUE;
      if (harness.leader.defenderStatuses().get(pod.id) == DefenderStatus.LIVE) {
        harness.send(new LeaderInput.DefenderLost(now, pod.id, "cluster member removed"));
      }
      if (pod.removing) {
        pods.remove(pod.id);
      } else {
        pod.version = version;
        pod.startsAt = now + POD_START_MILLIS;
      }
    }

    /** What the leader's adapter does every 5 s: plan, forecast the scale-in, drain. */
    void plan(long now) {
      Map<ChamberKey, CapacityPlanner.ChamberLoad> loads = new HashMap<>();
      harness.leader.chambers().keySet().forEach(chamber -> loads.put(chamber, new CapacityPlanner.ChamberLoad(RATE, costMillis)));
      List<String> running = pods.values().stream().filter(pod -> pod.running && pod.exitsAt == Long.MAX_VALUE)
          .map(pod -> pod.id).toList();
      CapacityPlanner.Plan plan = planner.plan(harness.leader.chambers().keySet(), loads, running.size());
      needed = plan.defendersNeeded();
      if (forecast == null) {
        return;
      }
      Set<String> going = forecast.goingAway(now, needed, running).orElse(null);
      if (going == null) {
        return;
      }
      for (Drains.Change change : drains.scaleIn(going, running)) {
        if (change.drained()) {
          harness.send(new LeaderInput.DefenderLeft(now, change.defenderId()));
        } else if (change.rejoin()) {
          harness.send(new LeaderInput.DefenderJoined(now, change.defenderId(), pods.get(change.defenderId()).version, 1.0));
        }
      }
    }

    /** One HPA sync: AverageValue 1 → the need, within bounds and tolerance, stabilized, rate-limited. */
    void autoscale() {
      long now = harness.now;
      int current = replicas;
      int recommendation = Math.max(hpa.min(), Math.min(hpa.max(), needed));
      if (Math.abs((double) needed / current - 1) <= ScaleInForecast.TOLERANCE) {
        recommendation = current;
      }
      recommendations.addLast(new long[] {now, recommendation});
      while (recommendations.peekFirst()[0] < now - Math.max(hpa.upWindowMillis(), hpa.downWindowMillis())) {
        recommendations.removeFirst();
      }
      int target = current;
      if (recommendation > current) {
        long lowest = recommendations.stream().filter(r -> r[0] >= now - hpa.upWindowMillis()).mapToLong(r -> r[1]).min()
            .orElse(current);
        int added = scaleEvents.stream().filter(e -> e[0] > now - hpa.upPeriodMillis() && e[1] > 0).mapToInt(e -> (int) e[1]).sum();
        int periodStart = current - added;
        int limit = (int) Math.ceil(periodStart * (1 + hpa.upPercent() / 100.0));
        target = (int) Math.max(current, Math.min(lowest, limit));
      } else if (recommendation < current) {
        long highest = recommendations.stream().filter(r -> r[0] >= now - hpa.downWindowMillis()).mapToLong(r -> r[1])
            .max().orElse(current);
        int removed = scaleEvents.stream().filter(e -> e[0] > now - hpa.downPeriodMillis() && e[1] < 0)
            .mapToInt(e -> (int) -e[1]).sum();
        target = (int) Math.min(current, Math.max(highest, current - hpa.downPods() + removed));
      }
      if (target != current) {
        scaleEvents.addLast(new long[] {now, target - current});
        scaleTo(target);
      }
    }

    private static long ordinalOf(String id) {
      return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }
  }
}
