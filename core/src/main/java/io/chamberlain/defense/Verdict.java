package io.chamberlain.defense;

import java.util.Comparator;
import java.util.List;

/**
 * The judgement of one context. Status is the most severe violation's (see {@link Rule} for the
 * policy); {@code violations} lists at most the configured number, most severe and largest |z|
 * first, while {@code violationCount} is the true total. {@code learning} is true while the
 * chamber's limits are still warming up: such verdicts are {@code OK} by construction.
 */
public record Verdict(String contextId, Status status, List<Violation> violations, int violationCount,
                      boolean learning) {

  /** Ordered by severity. */
  public enum Status { OK, WARN, ALARM }

  /** Most severe first, then by how far out the value is. */
  public static final Comparator<Violation> MOST_SEVERE_FIRST =
      Comparator.comparing(Violation::severity).reversed()
          .thenComparing(Comparator.comparingDouble((Violation v) -> Double.isNaN(v.z()) ? 0 : Math.abs(v.z())).reversed())
          .thenComparingInt(Violation::svid);

  public Verdict {
    violations = List.copyOf(violations);
    if (contextId == null || status == null) {
      throw new IllegalArgumentException("verdict needs a context id and a status");
    }
    if (violationCount < violations.size()) {
      throw new IllegalArgumentException("verdict for " + contextId + " lists " + violations.size()
          + " violations but counts only " + violationCount);
    }
    if ((status == Status.OK) != (violationCount == 0)) {
      throw new IllegalArgumentException("verdict for " + contextId + " is " + status + " with " + violationCount + " violations");
    }
  }

  /** Status, sorted and capped list built from all violations found. */
  public static Verdict of(String contextId, List<Violation> all, int maxListed, boolean learning) {
    Status status = all.stream().map(Violation::severity).max(Comparator.naturalOrder()).orElse(Status.OK);
    List<Violation> listed = all.stream().sorted(MOST_SEVERE_FIRST).limit(maxListed).toList();
    return new Verdict(contextId, status, listed, all.size(), learning);
  }
}
