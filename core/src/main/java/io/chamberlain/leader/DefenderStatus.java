package io.chamberlain.leader;

/** A defender's standing in the leader's table. */
public enum DefenderStatus {
  /** Heartbeating; owns and receives chambers. */
  LIVE,
  /** Announced a restart (or is being waited for); its chambers are held, it receives none. */
  RESTARTING,
  /** Leaving for good; keeps its chambers until the next published assignment moves them. */
  LEAVING,
  /** Declared dead; a later join is new capacity. */
  DEAD
}
