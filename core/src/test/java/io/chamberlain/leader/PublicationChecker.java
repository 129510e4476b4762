package io.chamberlain.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.chamberlain.assign.Assignment;
import io.chamberlain.assign.AssignmentEngine;
import io.chamberlain.assign.AssignmentMode;
import io.chamberlain.assign.AssignmentOracle;
import io.chamberlain.assign.AssignmentTuning;
import io.chamberlain.assign.DefenderSpec;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.leader.LeaderDecision.DefenderDeclaredDead;
import io.chamberlain.leader.LeaderDecision.InputIgnored;
import io.chamberlain.leader.LeaderDecision.PublishAssignment;
import io.chamberlain.leader.LeaderInput.ChamberRegistered;
import io.chamberlain.leader.LeaderInput.ChamberRemoved;
import io.chamberlain.leader.LeaderInput.DefenderJoined;
import io.chamberlain.leader.LeaderInput.DefenderLeft;
import io.chamberlain.leader.LeaderInput.RestartAnnounced;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An independent model of the leader's inputs (which chambers are registered with which weight,
 * which defenders are live, held, leaving or dead, with which capacity) that checks every
 * publication as it happens:
 * <ul>
 *   <li><b>fencing</b>: each epoch is the previous one + 1;
 *   <li><b>conservation</b>: exactly the registered chambers are assigned;
 *   <li><b>exclusivity</b>: every owner is live or held; no chamber stays on a dead defender once an
 *       input has been handled while someone could own it, and a dead owner's chambers are placed
 *       in the very next decision;
 *   <li><b>crash</b>: that placement moves only the dead defender's chambers;
 *   <li><b>restart within grace</b>: a held defender keeps exactly its chambers (it gains orphans
 *       only if every owner is held);
 *   <li><b>engine inputs</b>: the publication is what the engine computes from the previous
 *       assignment, the registered chambers and the live and held defenders (with their
 *       capacities), either as a full rebalance or as an orphan placement;
 *   <li><b>load bound</b>: every live defender ends within the granularity bound
 *       {@code max((1+ε)·fair, fair' + w_max)} after a rebalance, {@code max(kept, …)} after an
 *       orphan placement, where {@code fair'} is its share of what the held defenders do not keep
 *       (held defenders neither shed nor receive);
 *   <li><b>movement bound</b>: the moved weight (recomputed) equals the summary's and stays within
 *       {@link AssignmentOracle#allowedMovement()} for the previous assignment, the registered
 *       chambers and the live and held defenders;
 *   <li><b>leases</b>: a chamber is leased only while its home is held, always to a live defender;
 *       while any defender is live, every chamber of a held home is leased; a lease whose home is
 *       still held and whose deputy is still live never changes (sticky); new leases go LPT-style
 *       (the most served deputy ends within one heaviest chamber of the least served, or where the
 *       kept leases already had it);
 *   <li><b>folding</b>: a home that is gone leaves its leased chambers with their deputies — the
 *       engine starts from the homes with those leases folded in, so giving up on a restart moves
 *       nothing that is served;
 *   <li>the leader's own view of every defender matches the model's.
 * </ul>
 */
final class PublicationChecker implements LeaderHarness.Observer {

  private static final double EPS = AssignmentTuning.DEFAULT_EPSILON;
  private static final AssignmentEngine ENGINE = LeaderHarness.engine();

  private final Leader leader;
  private final TreeMap<ChamberKey, Double> chambers;
  private final SortedMap<String, DefenderStatus> status = new TreeMap<>();
  private final Map<String, Double> capacity = new HashMap<>();
  private Assignment current = Assignment.EMPTY;
  private Set<String> currentOwners = Set.of();
  private int publications;
  private int crashPlacements;
  private int heldChecks;

  PublicationChecker(Leader leader, SortedMap<ChamberKey, Double> chambers) {
    this.leader = leader;
    this.chambers = new TreeMap<>(chambers);
  }

  int publications() {
    return publications;
  }

  int crashPlacements() {
    return crashPlacements;
  }

  /** Publications at which some defender was held and its chambers were compared. */
  int heldChecks() {
    return heldChecks;
  }

  double capacityOf(String defender) {
    return capacity.getOrDefault(defender, 1.0);
  }

  @Override
  public void handled(LeaderInput input, List<LeaderDecision> decisions) {
    if (decisions.isEmpty() && input instanceof LeaderInput.HeartbeatReceived) {
      return; // the bulk of all inputs; it changed nothing the model tracks
    }
    boolean ignored = decisions.stream().anyMatch(d -> d instanceof InputIgnored i && i.input() == input);
    applyInput(input, ignored);
    boolean placementDue = false;
    for (LeaderDecision decision : decisions) {
      if (placementDue && !(decision instanceof PublishAssignment)) {
        fail("a dead owner's chambers were not placed in the next decision but " + decision);
      }
      if (decision instanceof DefenderDeclaredDead dead) {
        status.put(dead.defenderId(), DefenderStatus.DEAD);
        placementDue = currentOwners.contains(dead.defenderId()) && !eligible().isEmpty();
      } else if (decision instanceof PublishAssignment publish) {
        check(publish, placementDue);
        placementDue = false;
        current = publish.assignment();
        currentOwners = current.byDefender().keySet();
      }
    }
    assertTrue(!placementDue, "a dead owner's chambers were not placed");
    if (!eligible().isEmpty() && leader.state() != LeaderState.COLD_START) {
      currentOwners.forEach(owner -> assertTrue(status.get(owner) != DefenderStatus.DEAD,
          owner + " is dead but still owns chambers after " + input));
    }
    crossCheckStatuses(input);
  }

  private void applyInput(LeaderInput input, boolean ignored) {
    if (input instanceof DefenderJoined joined) {
      status.put(joined.defenderId(), DefenderStatus.LIVE);
      capacity.put(joined.defenderId(), joined.capacity());
    } else if (input instanceof RestartAnnounced restart && !ignored) {
      status.put(restart.defenderId(), DefenderStatus.RESTARTING);
    } else if (input instanceof DefenderLeft left && !ignored) {
      status.put(left.defenderId(), DefenderStatus.LEAVING);
    } else if (input instanceof ChamberRegistered registered) {
      chambers.put(registered.chamber(), registered.weight());
    } else if (input instanceof ChamberRemoved removed && !ignored) {
      chambers.remove(removed.chamber());
    }
  }

  /** Live and held defenders: who may own chambers. */
  private List<DefenderSpec> eligible() {
    List<DefenderSpec> result = new ArrayList<>();
    status.forEach((id, s) -> {
      if (s == DefenderStatus.LIVE || s == DefenderStatus.RESTARTING) {
        result.add(new DefenderSpec(id, capacity.get(id)));
      }
    });
    return result;
  }

  private void check(PublishAssignment publish, boolean crashPlacement) {
    Assignment next = publish.assignment();
    publications++;
    if (Boolean.getBoolean("debugPub")) {
      java.util.Map<String, Long> byDeputy = new java.util.TreeMap<>();
      next.leases().values().forEach(d -> byDeputy.merge(d, 1L, Long::sum));
      System.out.println("PUB " + next.epoch() + " " + publish.reason() + " status=" + status + " leasesBy=" + byDeputy + " " + publish.leases());
    }
    checkLeases(next);
    assertEquals(current.epoch() + 1, next.epoch(), "epochs must count up by one");
    assertEquals(chambers.keySet(), next.owners().keySet(), "conservation: exactly the registered chambers");
    next.byDefender().keySet().forEach(owner -> assertTrue(
        status.get(owner) == DefenderStatus.LIVE || status.get(owner) == DefenderStatus.RESTARTING,
        "owner " + owner + " is " + status.get(owner) + " (" + publish.reason() + ")"));

    List<DefenderSpec> owners = eligible();
    Set<String> eligibleIds = new TreeSet<>();
    owners.forEach(owner -> eligibleIds.add(owner.id()));
    Assignment current = this.current.foldLeases(eligibleIds);
    Set<String> held = new TreeSet<>();
    status.forEach((id, s) -> {
      if (s == DefenderStatus.RESTARTING) {
        held.add(id);
      }
    });
    // The leader publishes what the engine computes for its live and held defenders, in one of
    // the two modes; which one decides the load bound below.
    boolean placedOrphans = crashPlacement && next.sameOwners(
        ENGINE.assign(current, chambers, owners, held, AssignmentMode.PLACE_ORPHANS_ONLY).assignment());
    boolean rebalanced = !placedOrphans && next.sameOwners(
        ENGINE.assign(current, chambers, owners, held, AssignmentMode.REBALANCE).assignment());
    placedOrphans = placedOrphans || !rebalanced && next.sameOwners(
        ENGINE.assign(current, chambers, owners, held, AssignmentMode.PLACE_ORPHANS_ONLY).assignment());
    assertTrue(rebalanced || placedOrphans, "neither the engine's rebalance nor its orphan placement for live "
        + owners + " and held " + held + " (" + publish.reason() + ")");
    assertTrue(!crashPlacement || placedOrphans, "a crash must only place the orphans (" + publish.reason() + ")");
    AssignmentOracle oracle = AssignmentOracle.of(current, chambers, owners, EPS);
    double tolerance = 1e-9 * Math.max(1, chambers.values().stream().mapToDouble(Double::doubleValue).sum());
    double moved = oracle.movedWeight(next);
    assertEquals(moved, publish.summary().movedWeight(), tolerance, "summary moved weight");

    boolean anyLive = status.containsValue(DefenderStatus.LIVE);
    double heldLoad = 0;
    double liveCapacity = 0;
    for (DefenderSpec owner : owners) {
      if (status.get(owner.id()) == DefenderStatus.RESTARTING) {
        List<ChamberKey> before = keptChambers(owner.id());
        List<ChamberKey> after = next.byDefender().getOrDefault(owner.id(), List.of());
        heldChecks++;
        if (anyLive) {
          assertEquals(before, after, "held " + owner.id() + " must keep exactly its chambers (" + publish.reason() + ")");
        } else {
          assertTrue(after.containsAll(before), "held " + owner.id() + " lost chambers (" + publish.reason() + ")");
        }
        heldLoad += oracle.keptLoad(owner.id());
      } else {
        liveCapacity += owner.capacity();
      }
    }
    if (crashPlacement) {
      crashPlacements++;
      current.owners().forEach((chamber, owner) -> {
        DefenderStatus s = status.get(owner);
        if (chambers.containsKey(chamber) && (s == DefenderStatus.LIVE || s == DefenderStatus.RESTARTING)) {
          assertEquals(owner, next.ownerOf(chamber), "a crash moved " + chamber + " of live " + owner);
        }
      });
      assertEquals(oracle.orphanWeight(), moved, tolerance, "a crash moves exactly the orphans");
    }

    double total = chambers.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> loads = oracle.loads(next);
    for (DefenderSpec owner : owners) {
      if (status.get(owner.id()) == DefenderStatus.LIVE) {
        double fair = oracle.fair(owner.id());
        double shareOfUnheld = liveCapacity > 0 ? (total - heldLoad) * owner.capacity() / liveCapacity : fair;
        double granularity = Math.max((1 + EPS) * fair, Math.max(fair, shareOfUnheld) + oracle.maxWeight());
        // A rebalance sheds every excess; an orphan placement keeps what the defender had.
        double bound = rebalanced ? granularity : Math.max(oracle.keptLoad(owner.id()), granularity);
        assertTrue(loads.get(owner.id()) <= bound + tolerance, owner.id() + " load " + loads.get(owner.id())
            + " above the granularity bound " + bound + " (" + publish.reason() + ")");
      }
    }
    assertTrue(moved <= oracle.allowedMovement() + tolerance, "moved " + moved + " > allowed "
        + oracle.allowedMovement() + " (minimum " + oracle.minimum() + ", granular " + oracle.granular() + ", "
        + publish.reason() + ")");
  }

  /** The lease rules of the class comment, for {@code next} against the current assignment. */
  private void checkLeases(Assignment next) {
    boolean anyLive = status.containsValue(DefenderStatus.LIVE);
    next.leases().forEach((chamber, deputy) -> {
      assertEquals(DefenderStatus.RESTARTING, status.get(next.ownerOf(chamber)), chamber + " leased but its home "
          + next.ownerOf(chamber) + " is not held");
      assertEquals(DefenderStatus.LIVE, status.get(deputy), chamber + " leased to " + deputy + ", not live");
    });
    next.owners().forEach((chamber, home) -> {
      if (status.get(home) == DefenderStatus.RESTARTING && anyLive) {
        assertTrue(next.leases().containsKey(chamber), chamber + " of held " + home + " is not leased");
      }
    });
    current.leases().forEach((chamber, deputy) -> {
      if (status.get(deputy) == DefenderStatus.LIVE && status.get(current.ownerOf(chamber)) == DefenderStatus.RESTARTING
          && current.ownerOf(chamber).equals(next.ownerOf(chamber))) {
        assertEquals(deputy, next.leases().get(chamber), "the lease of " + chamber + " is sticky");
      }
    });
    // LPT: the deputy that ends most served either got nothing new, or was the least served when it
    // got its last new lease.
    Map<String, Double> served = new HashMap<>();
    Map<String, Double> before = new HashMap<>();
    double heaviestNew = 0;
    for (Map.Entry<ChamberKey, String> line : next.owners().entrySet()) {
      String by = next.servedBy(line.getKey());
      double w = chambers.get(line.getKey());
      if (status.get(by) != DefenderStatus.LIVE) {
        continue;
      }
      served.merge(by, w, Double::sum);
      boolean newLease = next.leases().containsKey(line.getKey())
          && !by.equals(current.leases().get(line.getKey()));
      if (newLease) {
        heaviestNew = Math.max(heaviestNew, w);
      } else {
        before.merge(by, w, Double::sum);
      }
    }
    if (heaviestNew > 0) {
      double minCapacity = served.keySet().stream().mapToDouble(this::capacityOf).min().orElse(1);
      double maxBefore = before.entrySet().stream().mapToDouble(e -> e.getValue() / capacityOf(e.getKey())).max().orElse(0);
      double minAfter = served.entrySet().stream().mapToDouble(e -> e.getValue() / capacityOf(e.getKey())).min().orElse(0);
      double maxAfter = served.entrySet().stream().mapToDouble(e -> e.getValue() / capacityOf(e.getKey())).max().orElse(0);
      double bound = Math.max(maxBefore, minAfter + heaviestNew / minCapacity);
      assertTrue(maxAfter <= bound * (1 + 1e-9), "leases unbalanced: most served " + maxAfter + " > " + bound);
    }
  }

  /** Chambers the current assignment gives {@code defender} that are still registered. */
  private List<ChamberKey> keptChambers(String defender) {
    List<ChamberKey> kept = new ArrayList<>();
    current.byDefender().getOrDefault(defender, List.of()).forEach(chamber -> {
      if (chambers.containsKey(chamber)) {
        kept.add(chamber);
      }
    });
    return kept;
  }

  /** The leader forgets a leaver once an assignment without it is computed; the model follows. */
  private void crossCheckStatuses(LeaderInput input) {
    SortedMap<String, DefenderStatus> actual = leader.defenderStatuses();
    status.entrySet().removeIf(e -> !actual.containsKey(e.getKey()) && e.getValue() == DefenderStatus.LEAVING);
    assertEquals(status, actual, "the leader's view of the defenders after " + input);
  }
}
