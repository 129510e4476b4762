package io.chamberlain.capacity;

import io.chamberlain.domain.ChamberKey;
import java.util.Map;

/**
 * How many defenders the fab's measured work needs — the number an autoscaler should run, from what
 * each chamber really costs, not from how many events wait.
 *
 * <p>Every chamber brings {@code rate × cost} milliseconds of defense work per second (its contexts
 * per second times its measured milliseconds per context, both reported by the defenders serving
 * it). A defender of capacity 1.0 does at most {@code defenderMillisPerSecond} of it; kept at
 * {@code targetUtilisation} of that, a chamber's next event rarely waits behind another, so the
 * latency stays near the defense time and well inside the SLA. So
 * <pre>
 *   needed = ⌈ Σ rate × cost  /  (targetUtilisation × defenderMillisPerSecond) ⌉
 *   surplus = live capacity − max(needed, minDefenders)   (negative: short of defenders)
 * </pre>
 * The need is exported as it is, not floored at {@code minDefenders}: the autoscaler applies its
 * own minimum, and a floored need would sit within its tolerance (±10 %) of a few replicas above
 * the minimum and stop the scale-in there.
 * A chamber whose own work is over a defender's target cannot be helped by more defenders (one
 * chamber runs on one defender, in order), nor one whose defense alone takes longer than the SLA:
 * both are counted so an operator sees them. Chambers not measured yet count at the mean measured
 * work per chamber (none measured: the plan knows nothing and needs 0 — the minimum applies). Pure.
 */
public final class CapacityPlanner {

  private final double targetUtilisation;
  private final double defenderMillisPerSecond;
  private final long slaMillis;
  private final int minDefenders;

  /** A chamber's measured load: contexts per second and milliseconds of defense per context. */
  public record ChamberLoad(double contextsPerSecond, double millisPerContext) {

    double workMillisPerSecond() {
      return contextsPerSecond * millisPerContext;
    }
  }

  /**
   * @param workMillisPerSecond the measured and estimated defense work of every chamber
   * @param defendersNeeded defenders of capacity 1.0 to keep every one at the target utilisation
   * @param surplus live capacity minus the need (at least the minimum), in defenders of capacity 1.0
   *     (negative: too few)
   * @param measuredChambers chambers with a measured rate and cost; the others are estimated
   * @param chambersOverOneDefender chambers whose own work is over a defender's target
   * @param chambersSlowerThanSla chambers whose defense alone takes longer than the SLA
   */
  public record Plan(double workMillisPerSecond, int defendersNeeded, double surplus, int measuredChambers,
      int chambersOverOneDefender, int chambersSlowerThanSla) {
  }

  public CapacityPlanner(double targetUtilisation, double defenderMillisPerSecond, long slaMillis, int minDefenders) {
    if (!(targetUtilisation > 0 && targetUtilisation <= 1)) {
      throw new IllegalArgumentException("target utilisation must be in (0, 1], was " + targetUtilisation);
    }
    if (!(defenderMillisPerSecond > 0) || slaMillis <= 0 || minDefenders < 0) {
      throw new IllegalArgumentException("a defender's capacity and the SLA must be > 0 and the minimum ≥ 0, were "
          + defenderMillisPerSecond + ", " + slaMillis + ", " + minDefenders);
    }
    this.targetUtilisation = targetUtilisation;
    this.defenderMillisPerSecond = defenderMillisPerSecond;
    this.slaMillis = slaMillis;
    this.minDefenders = minDefenders;
  }

  /** The fewest defenders to run whatever the need (the autoscaler's minimum replicas). */
  public int minDefenders() {
    return minDefenders;
  }

  /**
   * @param chambers every chamber the leader places
   * @param measured the measured load of those that have one (others are ignored)
   * @param liveCapacity the summed capacity of the live defenders
   */
  public Plan plan(Iterable<ChamberKey> chambers, Map<ChamberKey, ChamberLoad> measured, double liveCapacity) {
    double perDefender = targetUtilisation * defenderMillisPerSecond;
    double measuredWork = 0;
    int measuredCount = 0;
    int unmeasured = 0;
    int overOne = 0;
    int slow = 0;
    for (ChamberKey chamber : chambers) {
      ChamberLoad load = measured.get(chamber);
      if (load == null) {
        unmeasured++;
        continue;
      }
      measuredCount++;
      measuredWork += load.workMillisPerSecond();
      if (load.workMillisPerSecond() > perDefender) {
        overOne++;
      }
      if (load.millisPerContext() > slaMillis) {
        slow++;
      }
    }
    double work = measuredCount == 0 ? 0 : measuredWork + unmeasured * (measuredWork / measuredCount);
    int needed = (int) Math.ceil(work / perDefender - 1e-9);
    return new Plan(work, needed, liveCapacity - Math.max(needed, minDefenders), measuredCount, overOne, slow);
  }
}
