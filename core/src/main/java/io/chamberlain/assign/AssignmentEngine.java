package io.chamberlain.assign;

import io.chamberlain.domain.ChamberKey;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Sticky, weight-balanced chamber assignment. Pure and deterministic: chambers are processed in
 * rank order (weight, then key), defenders in id order, ties between defenders are broken by
 * {@link StableHash} of the id; no result depends on hash-map iteration order. A newly elected
 * leader that feeds the same previous assignment, weights and live set gets the same answer.
 *
 * <p>Phases of {@link AssignmentMode#REBALANCE}:
 * <ol>
 *   <li><b>keep</b> — every chamber stays with its previous owner if that owner is live;
 *   <li><b>shed</b> — a defender above {@code (1+ε) × fair} gives up a minimal cover of its excess
 *       ({@link ShedPhase}: largest chambers that fit, the smallest one that covers the rest, earlier
 *       picks no longer needed go back, or one chamber covers it all if that moves less); a chamber
 *       heavier than the bound on its own is kept and sits alone;
 *   <li><b>place</b> — orphans, new chambers and shed chambers go heaviest-first to the defender
 *       with the lowest load/capacity (LPT);
 *   <li><b>repair</b> — while a defender is above its upper bound or below {@code (1−ε) × fair},
 *       move single chambers from the most loaded to the least loaded without pushing either
 *       across a bound, preferring no overshoot; stops when granularity allows no such move.
 * </ol>
 * {@link AssignmentMode#PLACE_ORPHANS_ONLY} runs keep and place only.
 *
 * <p>A <em>held</em> defender (restarting within its grace period) keeps exactly its chambers: it
 * neither sheds nor receives, but its capacity still counts towards everyone's fair share.
 *
 * <p>Why not place by weighted rendezvous-hash homes: a hash home balances chamber counts in
 * expectation, not weights (the heavy tail makes it overload defenders by 1.3–2.5×), and scoring
 * every chamber against every defender costs 600,000 logarithms for 6,000 × 100, beyond the 5 ms
 * budget. Stability comes from stickiness instead, and determinism from sorted input.
 */
public final class AssignmentEngine {

  static final Comparator<DefenderBin> LEAST_PRESSURE = Comparator
      .comparingDouble(DefenderBin::pressure)
      .thenComparingLong(bin -> bin.tieHash)
      .thenComparing(bin -> bin.spec.id());

  private final AssignmentTuning tuning;

  public AssignmentEngine(AssignmentTuning tuning) {
    if (tuning == null) {
      throw new IllegalArgumentException("assignment tuning is missing");
    }
    this.tuning = tuning;
  }

  public AssignmentTuning tuning() {
    return tuning;
  }

  /**
   * @param previous the last published assignment ({@link Assignment#EMPTY} if none); chambers no
   *     longer in {@code weights} are dropped
   * @param weights every chamber to own, with its weight (≥ 0)
   * @param live the defenders that may own chambers (ids unique, capacities > 0)
   * @throws IllegalArgumentException if there are chambers but no live defender
   */
  public AssignmentResult assign(
      Assignment previous, Map<ChamberKey, Double> weights, Collection<DefenderSpec> live, AssignmentMode mode) {
    return assign(previous, weights, live, Set.of(), mode);
  }

  /**
   * @param held ids of live defenders whose chambers must stay exactly as they are (a subset of
   *     {@code live}); orphans go to them only if every live defender is held
   */
  public AssignmentResult assign(Assignment previous, Map<ChamberKey, Double> weights,
      Collection<DefenderSpec> live, Set<String> held, AssignmentMode mode) {
    ChamberTable chambers = ChamberTable.of(weights);
    if (live.isEmpty() && chambers.size() > 0) {
      throw new IllegalArgumentException(
          "no live defender to own " + chambers.size() + " chambers");
    }
    DefenderBin[] bins = binsFor(live, chambers);
    Map<String, DefenderBin> binById = new HashMap<>(bins.length * 2);
    for (DefenderBin bin : bins) {
      binById.put(bin.spec.id(), bin);
      bin.held = held.contains(bin.spec.id());
    }

    String[] previousOwner = new String[chambers.size()];
    OrphanPool pool = keep(previous, chambers, binById, previousOwner);
    double minimumMovedWeight = minimumMovedWeight(bins, pool);
    if (mode == AssignmentMode.REBALANCE) {
      ShedPhase.run(bins, pool);
    }
    place(bins, pool);
    if (mode == AssignmentMode.REBALANCE) {
      new RepairPhase(bins, chambers.totalWeight).run(chambers.size());
    }
    return result(previous.epoch(), chambers, bins, previousOwner, pool, minimumMovedWeight);
  }

  private DefenderBin[] binsFor(Collection<DefenderSpec> live, ChamberTable chambers) {
    DefenderSpec[] specs = live.toArray(new DefenderSpec[0]);
    Arrays.sort(specs, Comparator.comparing(DefenderSpec::id));
    double totalCapacity = 0;
    for (int i = 0; i < specs.length; i++) {
      if (i > 0 && specs[i].id().equals(specs[i - 1].id())) {
        throw new IllegalArgumentException("defender [" + specs[i].id() + "] is listed twice");
      }
      totalCapacity += specs[i].capacity();
    }
    DefenderBin[] bins = new DefenderBin[specs.length];
    for (int i = 0; i < specs.length; i++) {
      double fair = chambers.totalWeight * specs[i].capacity() / totalCapacity;
      bins[i] = new DefenderBin(i, specs[i], fair, tuning.epsilon(), chambers.weightByRank);
    }
    return bins;
  }

  /** Phase 1. Ranks are visited ascending, so every bin receives them already sorted. */
  private static OrphanPool keep(
      Assignment previous, ChamberTable chambers, Map<String, DefenderBin> binById, String[] previousOwner) {
    OrphanPool pool = new OrphanPool(chambers.size() / 8);
    for (int rank = 0; rank < chambers.size(); rank++) {
      String owner = previous.ownerOf(chambers.keyByRank[rank]);
      previousOwner[rank] = owner;
      DefenderBin bin = owner == null ? null : binById.get(owner);
      if (bin != null) {
        bin.append(rank);
      } else {
        pool.add(rank);
        if (owner == null) {
          pool.newChambers++;
          pool.newWeight += chambers.weightByRank[rank];
        } else {
          pool.orphanWeight += chambers.weightByRank[rank];
        }
      }
    }
    return pool;
  }

  /** The lower bound documented on {@link AssignmentSummary}, from the kept loads. */
  private static double minimumMovedWeight(DefenderBin[] bins, OrphanPool pool) {
    double excess = 0;
    double deficit = 0;
    for (DefenderBin bin : bins) {
      excess += Math.max(0, bin.load() - bin.effectiveUpper());
      deficit += Math.max(0, bin.lower - bin.load());
    }
    double fillableByPool = pool.orphanWeight + pool.newWeight;
    return pool.orphanWeight + Math.max(0, Math.max(excess, deficit - fillableByPool));
  }

  /**
   * Phase 3: heaviest first, each onto the least-pressured defender it fits on (stays within its
   * upper bound); onto the least-pressured one if it fits nowhere. Plain LPT would put a heavy
   * chamber on a small-capacity defender whose band it overshoots, and the repair phase would then
   * move one of that defender's kept chambers: a move nothing required.
   */
  private static void place(DefenderBin[] bins, OrphanPool pool) {
    if (pool.size == 0) {
      return;
    }
    Arrays.sort(pool.ranks, 0, pool.size);
    PriorityQueue<DefenderBin> leastLoaded = new PriorityQueue<>(bins.length, LEAST_PRESSURE);
    for (DefenderBin bin : bins) {
      if (!bin.held) {
        leastLoaded.add(bin);
      }
    }
    if (leastLoaded.isEmpty()) {
      leastLoaded.addAll(Arrays.asList(bins)); // everyone is restarting: orphans still need an owner
    }
    for (int i = pool.size - 1; i >= 0; i--) {
      int rank = pool.ranks[i];
      DefenderBin least = leastLoaded.peek();
      DefenderBin target = least.fits(least.weightOfRank(rank)) ? least
          : leastPressuredFitting(leastLoaded, least.weightOfRank(rank), least);
      if (target == least) {
        leastLoaded.poll();
      } else {
        leastLoaded.remove(target);
      }
      target.append(rank);
      leastLoaded.add(target);
    }
    for (DefenderBin bin : bins) {
      bin.restoreOrder();
    }
  }

  /** Linear, but only reached when the least-pressured defender has no room for the chamber. */
  private static DefenderBin leastPressuredFitting(Collection<DefenderBin> candidates, double weight,
      DefenderBin otherwise) {
    DefenderBin best = null;
    for (DefenderBin bin : candidates) {
      if (bin.fits(weight) && (best == null || LEAST_PRESSURE.compare(bin, best) < 0)) {
        best = bin;
      }
    }
    return best != null ? best : otherwise;
  }

  private AssignmentResult result(
      long epoch, ChamberTable chambers, DefenderBin[] bins, String[] previousOwner, OrphanPool pool,
      double minimumMovedWeight) {
    String[] ownerByRank = new String[chambers.size()];
    SortedMap<String, Double> loads = new TreeMap<>();
    SortedMap<String, Double> fairShares = new TreeMap<>();
    double maxOverFair = bins.length == 0 ? 1.0 : Double.NEGATIVE_INFINITY;
    double minOverFair = bins.length == 0 ? 1.0 : Double.POSITIVE_INFINITY;
    for (DefenderBin bin : bins) {
      for (int i = 0; i < bin.size(); i++) {
        ownerByRank[bin.rankAt(i)] = bin.spec.id();
      }
      loads.put(bin.spec.id(), bin.load());
      fairShares.put(bin.spec.id(), bin.fair);
      double ratio = bin.fair > 0 ? bin.load() / bin.fair : 1.0;
      maxOverFair = Math.max(maxOverFair, ratio);
      minOverFair = Math.min(minOverFair, ratio);
    }
    LinkedHashMap<ChamberKey, String> owners = new LinkedHashMap<>(chambers.size() * 4 / 3 + 1);
    int moved = 0;
    double movedWeight = 0;
    for (int k = 0; k < chambers.size(); k++) {
      int rank = chambers.rankOfKey[k];
      String owner = ownerByRank[rank];
      owners.put(chambers.keys[k], owner);
      if (previousOwner[rank] != null && !previousOwner[rank].equals(owner)) {
        moved++;
        movedWeight += chambers.weightByRank[rank];
      }
    }
    AssignmentSummary summary = new AssignmentSummary(moved, movedWeight, pool.orphanWeight, pool.newChambers,
        pool.newWeight, minimumMovedWeight, loads, fairShares, maxOverFair, minOverFair);
    return new AssignmentResult(Assignment.ofSorted(epoch, owners), summary);
  }
}
