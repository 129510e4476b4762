package io.chamberlain.system.live.soak;

/**
 * The faults a soak draws from (issue 13): what operators see in a fab's cluster over weeks, each
 * done to real processes with real signals.
 */
public enum FaultKind {
  /** A worker not running the leader is SIGKILLed and started again at once (a crashed pod). */
  WORKER_KILL("worker SIGKILL"),
  /** A worker not running the leader is SIGSTOPped for 10 s, then SIGCONTed (a long GC, a frozen VM). */
  WORKER_FREEZE("worker SIGSTOP 10 s"),
  /** A worker not running the leader gets SIGTERM and the same id starts again (a rolling update). */
  WORKER_ROLL("worker SIGTERM roll"),
  /** A gateway not running the leader is SIGKILLed and started again. */
  GATEWAY_KILL("gateway SIGKILL"),
  /** Whatever node runs the leader (gateway or worker) is SIGKILLed and started again. */
  LEADER_NODE_KILL("leader-node SIGKILL"),
  /** nats-server is stopped (SIGTERM), kept down 3 s and started again on the same store. */
  NATS_RESTART("nats-server restart");

  private final String label;

  FaultKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
