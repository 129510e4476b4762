package io.chamberlain.defense;

import java.util.List;

/**
 * What the simulator injected into one context, so detection quality can be measured:
 * the fault kind, the affected SVIDs (ascending) and the sample at which the fault starts.
 */
public record GroundTruth(FaultKind fault, List<Integer> svids, int startSample) {

  public static final GroundTruth CLEAN = new GroundTruth(FaultKind.NONE, List.of(), -1);

  public GroundTruth {
    svids = List.copyOf(svids);
    if ((fault == FaultKind.NONE) != svids.isEmpty()) {
      throw new IllegalArgumentException("ground truth " + fault + " with SVIDs " + svids + " is inconsistent");
    }
  }

  public boolean faulty() {
    return fault != FaultKind.NONE;
  }
}
