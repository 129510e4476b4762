package io.chamberlain.assign;

import io.chamberlain.domain.ChamberKey;
import java.util.Map;

/**
 * How the leases changed from one published assignment to the next — kept apart from moves
 * ({@link AssignmentSummary}, which is about homes): a lease is a handoff for a restart, not a
 * change of home.
 *
 * @param lent chambers leased now that were not before (a defender began a restart)
 * @param lentWeight their weight
 * @param returned leases that ended (the home serves again, or gave up and the deputy keeps it)
 * @param relet leased chambers that changed deputy (their deputy restarted, left or died)
 */
public record LeaseChanges(int lent, double lentWeight, int returned, int relet) {

  public static final LeaseChanges NONE = new LeaseChanges(0, 0, 0, 0);

  public static LeaseChanges between(Assignment before, Assignment after, Map<ChamberKey, Double> weights) {
    int lent = 0;
    double lentWeight = 0;
    int relet = 0;
    for (Map.Entry<ChamberKey, String> lease : after.leases().entrySet()) {
      String earlier = before.leases().get(lease.getKey());
      if (earlier == null) {
        lent++;
        lentWeight += weights.getOrDefault(lease.getKey(), 0.0);
      } else if (!earlier.equals(lease.getValue())) {
        relet++;
      }
    }
    int returned = 0;
    for (ChamberKey chamber : before.leases().keySet()) {
      if (!after.leases().containsKey(chamber)) {
        returned++;
      }
    }
    return new LeaseChanges(lent, lentWeight, returned, relet);
  }

  public boolean any() {
    return lent > 0 || returned > 0 || relet > 0;
  }
}
