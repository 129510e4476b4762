package io.chamberlain.lag;

/** How a lane's backlog evolves, after Burrow's consumer statuses; the order is severity. */
public enum LagVerdict {
  /** Nothing waits, or what waits is young and not growing. */
  OK,
  /** Events wait past half the SLA, or the oldest waiting event got older at every reading of the window. */
  WARN,
  /** Events wait and not one was acknowledged during the whole window: the lane is stuck. */
  STALL,
  /** Events wait and the lane has no consumer, or none was acknowledged for {@link LagEvaluator#STOP_WINDOWS} windows. */
  STOP
}
