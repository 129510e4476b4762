package io.chamberlain.assign;

import java.util.ArrayList;
import java.util.List;

/**
 * Phase 4 of the {@link AssignmentEngine}: single-chamber moves that strictly reduce the total
 * bound violation. First relieve the most overloaded defender (towards the least pressured one
 * with room), then fill the most underloaded (from the most pressured donor that stays above its
 * lower bound). Each move prefers the largest chamber that does not overshoot, else the smallest
 * that does, so moved weight stays close to what the bound requires.
 */
final class RepairPhase {

  private final DefenderBin[] bins;
  private final double tolerance;
  private final boolean[] stuck;
  private final List<DefenderBin> donors;

  RepairPhase(DefenderBin[] bins, double totalWeight) {
    this.bins = bins;
    this.tolerance = totalWeight * 1e-12;
    this.stuck = new boolean[bins.length];
    this.donors = new ArrayList<>();
    for (DefenderBin bin : bins) {
      stuck[bin.index] = bin.held;
      if (!bin.held) {
        donors.add(bin);
      }
    }
  }

  void run(int chamberCount) {
    // Each step moves one chamber and lowers the summed violation without creating any, or
    // retires one defender as stuck, so this terminates; the cap only guards against
    // floating-point surprises.
    for (int budget = 2 * (chamberCount + bins.length) + 64; budget > 0; budget--) {
      DefenderBin over = mostOverloaded();
      boolean moved = over != null ? relieve(over) : fill();
      if (!moved && over == null) {
        return;
      }
    }
  }

  private DefenderBin mostOverloaded() {
    DefenderBin worst = null;
    double worstExcess = tolerance;
    for (DefenderBin bin : bins) {
      double excess = bin.load() - bin.effectiveUpper();
      if (!stuck[bin.index] && excess > worstExcess) {
        worst = bin;
        worstExcess = excess;
      }
    }
    return worst;
  }

  private boolean relieve(DefenderBin over) {
    double excess = over.load() - over.effectiveUpper();
    int end = over.size() - (over.holdsOversizedChamber() ? 1 : 0);
    DefenderBin receiver = null;
    for (DefenderBin bin : bins) {
      if (bin != over && !bin.held && bin.upper - bin.load() > tolerance
          && (receiver == null || AssignmentEngine.LEAST_PRESSURE.compare(bin, receiver) < 0)) {
        receiver = bin;
      }
    }
    int position = receiver == null ? -1 : over.pickForTransfer(excess, receiver.upper - receiver.load(), end);
    if (position < 0) {
      stuck[over.index] = true;
      return false;
    }
    receiver.insert(over.removeAt(position));
    return true;
  }

  private boolean fill() {
    DefenderBin under = null;
    double worstDeficit = tolerance;
    for (DefenderBin bin : bins) {
      double deficit = bin.lower - bin.load();
      if (!stuck[bin.index] && deficit > worstDeficit) {
        under = bin;
        worstDeficit = deficit;
      }
    }
    if (under == null) {
      return false;
    }
    double room = under.upper - under.load();
    // Usually the most pressured donor can give; only sort all donors when it cannot.
    DefenderBin first = null;
    for (DefenderBin donor : donors) {
      if (donor != under && (first == null || AssignmentEngine.LEAST_PRESSURE.compare(donor, first) > 0)) {
        first = donor;
      }
    }
    if (first != null && giveTo(under, first, worstDeficit, room)) {
      return true;
    }
    donors.sort(AssignmentEngine.LEAST_PRESSURE.reversed());
    for (DefenderBin donor : donors) {
      if (donor != under && donor != first && giveTo(under, donor, worstDeficit, room)) {
        return true;
      }
    }
    // Granularity: no donor can give without crossing its own lower bound. Still narrow the
    // spread: take from the most pressured donor that can stay at least as pressured as the
    // receiver. Every such move strictly lowers the sum of squared pressures, so this ends.
    for (DefenderBin donor : donors) {
      if (donor != under && evenOut(under, donor, worstDeficit, room)) {
        return true;
      }
    }
    stuck[under.index] = true;
    return true; // progress: one fewer candidate
  }

  private boolean evenOut(DefenderBin under, DefenderBin donor, double deficit, double room) {
    double cu = under.spec.capacity();
    double cd = donor.spec.capacity();
    double keepsDonorAhead = (donor.load() * cu - under.load() * cd) / (cu + cd);
    int position = donor.pickForTransfer(Math.min(deficit, keepsDonorAhead), Math.min(room, keepsDonorAhead),
        donor.size());
    if (position < 0 || donor.weightAt(position) <= tolerance) {
      return false;
    }
    under.insert(donor.removeAt(position));
    return true;
  }

  private boolean giveTo(DefenderBin under, DefenderBin donor, double deficit, double room) {
    double spare = donor.load() - donor.lower;
    if (spare <= tolerance) {
      return false;
    }
    int position = donor.pickForTransfer(deficit, Math.min(room, spare), donor.size());
    if (position < 0) {
      return false;
    }
    under.insert(donor.removeAt(position));
    return true;
  }
}
