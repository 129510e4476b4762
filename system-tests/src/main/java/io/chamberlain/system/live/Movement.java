package io.chamberlain.system.live;

import io.chamberlain.domain.ChamberKey;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The two ways a topology change can take a chamber away from its defender, told apart as DESIGN.md
 * does ("a lease is not a move").
 *
 * <ul>
 *   <li><b>moved</b> — its <em>home</em> changed: the {@code owner} in {@code GET /api/assignments}
 *       before the change differs from the owner after the cluster settled (a chamber not assigned
 *       in both is new or gone, not moved);
 *   <li><b>leased</b> — it was served by a deputy during the change: a verdict in the change's window
 *       by a defender that is neither its home before nor after, or the product reported it
 *       {@code leasedTo} someone in a sample of {@code /api/assignments}.
 * </ul>
 */
public final class Movement {

  private Movement() {
  }

  public static Set<ChamberKey> moved(Map<ChamberKey, String> before, Map<ChamberKey, String> after) {
    Set<ChamberKey> moved = new TreeSet<>();
    before.forEach((chamber, home) -> {
      String now = after.get(chamber);
      if (now != null && !now.equals(home)) {
        moved.add(chamber);
      }
    });
    return moved;
  }

  /**
   * @param verdictsInWindow verdicts published during the change
   * @param reportedLeased chambers the product showed with {@code leasedTo} during the change
   */
  public static Set<ChamberKey> leased(Collection<Verdict> verdictsInWindow, Map<ChamberKey, String> before,
      Map<ChamberKey, String> after, Set<ChamberKey> reportedLeased) {
    Set<ChamberKey> leased = new TreeSet<>(reportedLeased);
    for (Verdict verdict : verdictsInWindow) {
      String homeBefore = before.get(verdict.chamber());
      String homeAfter = after.get(verdict.chamber());
      if (homeBefore != null && homeAfter != null && !verdict.defender().equals(homeBefore)
          && !verdict.defender().equals(homeAfter)) {
        leased.add(verdict.chamber());
      }
    }
    return leased;
  }
}
