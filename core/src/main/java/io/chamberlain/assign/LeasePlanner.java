package io.chamberlain.assign;

import io.chamberlain.domain.ChamberKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Who serves a restarting defender's chambers until it is back: its <em>deputies</em>. A rolling
 * update restarts a defender in 5–15 s (JVM start, cluster join) and the SLA is 5 s, so its chambers
 * must not wait for it; they are lent out, and handed back the moment it serves again. A lease
 * changes who serves a chamber, never its home ({@link Assignment}): the restart moves nothing.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>Only chambers whose home is <em>held</em> (restarting within its grace) are leased; every
 *       other lease ends — the home is back (hand-back), or gone (the caller folds the lease into
 *       the home first, {@link Assignment#foldLeases}).
 *   <li><b>Sticky</b>: a lease whose deputy is still a deputy stays where it is. A second restart
 *       during the first re-lends only what the new restart affects.
 *   <li>The rest go heaviest first (weight, then key) to the deputy with the lowest served load
 *       (own homes + leases so far) per capacity, ties broken by {@link StableHash} of the id, then
 *       the id — the engine's LPT, so the deputies' loads stay as even as the homes'.
 *   <li>No deputy (every live defender is restarting): nothing is leased; the chambers wait.
 * </ol>
 * Pure and deterministic: sorted input, a total order on every choice. Same input, same leases —
 * a newly elected leader computes what its predecessor would have.
 */
public final class LeasePlanner {

  private static final Comparator<Deputy> LEAST_SERVED = Comparator
      .comparingDouble(Deputy::pressure)
      .thenComparingLong(deputy -> deputy.tieHash)
      .thenComparing(deputy -> deputy.spec.id());

  private static final class Deputy {
    final DefenderSpec spec;
    final long tieHash;
    double served;

    Deputy(DefenderSpec spec) {
      this.spec = spec;
      this.tieHash = StableHash.of(spec.id());
    }

    double pressure() {
      return served / spec.capacity();
    }
  }

  private LeasePlanner() {
  }

  /**
   * @param homes the assignment about to be published (its leases are ignored)
   * @param weights every chamber's weight
   * @param deputies the defenders that may serve leases: live and not restarting themselves
   * @param held defenders restarting within their grace, whose chambers are lent out
   * @param previous the leases of the last published assignment (chamber → deputy)
   * @return chamber → deputy for every chamber homed at a held defender, empty if there is no deputy
   */
  public static SortedMap<ChamberKey, String> plan(Assignment homes, Map<ChamberKey, Double> weights,
      Collection<DefenderSpec> deputies, Set<String> held, Map<ChamberKey, String> previous) {
    SortedMap<ChamberKey, String> leases = new TreeMap<>();
    if (held.isEmpty() || deputies.isEmpty()) {
      return leases;
    }
    Map<String, Deputy> byId = new HashMap<>();
    for (DefenderSpec spec : deputies) {
      if (held.contains(spec.id())) {
        throw new IllegalArgumentException("defender [" + spec.id() + "] is restarting: it cannot be a deputy");
      }
      byId.put(spec.id(), new Deputy(spec));
    }
    List<ChamberKey> toLend = new ArrayList<>();
    homes.owners().forEach((chamber, home) -> {
      double weight = weights.getOrDefault(chamber, 0.0);
      Deputy ownHome = byId.get(home);
      if (ownHome != null) {
        ownHome.served += weight;
      } else if (held.contains(home)) {
        Deputy kept = byId.get(previous.get(chamber));
        if (kept != null) {
          leases.put(chamber, kept.spec.id());
          kept.served += weight;
        } else {
          toLend.add(chamber);
        }
      }
    });
    toLend.sort(Comparator.<ChamberKey>comparingDouble(chamber -> weights.getOrDefault(chamber, 0.0)).reversed()
        .thenComparing(Comparator.naturalOrder()));
    PriorityQueue<Deputy> leastServed = new PriorityQueue<>(LEAST_SERVED);
    leastServed.addAll(byId.values());
    for (ChamberKey chamber : toLend) {
      Deputy deputy = leastServed.poll();
      leases.put(chamber, deputy.spec.id());
      deputy.served += weights.getOrDefault(chamber, 0.0);
      leastServed.add(deputy);
    }
    return leases;
  }
}
