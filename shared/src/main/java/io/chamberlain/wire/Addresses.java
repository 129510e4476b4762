package io.chamberlain.wire;

import io.chamberlain.domain.Ids;

/**
 * Every clustered event-bus address, defined once. Bodies are {@code JsonObject}s, each the form of a
 * typed record of this package that reads and writes it (its {@code toJson} and {@code fromJson}).
 */
public final class Addresses {

  private Addresses() {
  }

  /**
   * A defender's completions inbox ({@code %s} = defender id): request = completion, reply = a
   * {@link VerdictReceipt} or a {@link ChamberReplies} failure. The defender hands each completion to the chamber
   * verticle in its own JVM; one address per defender, so moving a chamber changes no registration.
   */
  public static final String DEFENDER_INBOX_FORMAT = "chamberlain.defender.%s.inbox";
  /** Workers publish their heartbeat here every {@code defender.heartbeatMillis}. */
  public static final String DEFENDER_HEARTBEAT = "chamberlain.defenders.heartbeat";
  /**
   * Node-local: every leader candidate subscribes to {@link #DEFENDER_HEARTBEAT} from the start and
   * relays each heartbeat here to the leader on its node, if it leads. A new leader then hears
   * heartbeats at once — registering a consumer cluster-wide waits for every partition owner, and
   * a frozen one (often the very reason for the takeover) holds it for seconds.
   */
  public static final String LEADER_HEARTBEAT_RELAY = "chamberlain.leader.local.heartbeat";
  /**
   * The leader publishes every new assignment here as an {@link AssignmentDelta} against the epoch
   * before, and a whole {@link AssignmentSnapshot} when a defender's heartbeat shows it behind.
   * Receivers follow it with an {@link AssignmentFeed}.
   */
  public static final String ASSIGNMENT = "chamberlain.assignment";
  /** Request/reply: the leader answers with its current assignment snapshot (late joiners). */
  public static final String ASSIGNMENT_CURRENT = "chamberlain.assignment.current";
  /** Gateways send chambers seen for the first time here ({@link ChamberRegistrations}), so the leader registers and places them. */
  public static final String CHAMBER_REGISTER = "chamberlain.chambers.register";
  /** A defender about to restart (SIGTERM in a rolling update) says so here; its chambers are held. */
  public static final String DEFENDER_RESTARTING = "chamberlain.defenders.restarting";
  /**
   * A gateway reports a defender it suspects is not running (a request outstanding far too long
   * while its heartbeat is late): {@code {"defenderId":…,"evidence":…}}. The leader decides.
   */
  public static final String DEFENDER_SUSPECTED = "chamberlain.defenders.suspected";
  /**
   * Request/reply, operator: a {@link DefenderMessages.DrainRequest} moves a defender's chambers away / lets it take
   * chambers again; the reply is its {@link DefenderMessages.DrainState}.
   */
  public static final String DEFENDER_DRAIN = "chamberlain.defenders.drain";
  /**
   * Request/reply, operator: a {@link ProfileChange} registers, updates or removes a chamber's profile; the reply
   * says what was done ({@link OperatorMessages.ProfileApplied}).
   */
  public static final String CHAMBER_PROFILE = "chamberlain.chambers.profile";
  /**
   * Request/reply, operator: a {@link OperatorMessages.RebalanceRequest} asks the leader for a full rebalance now;
   * the reply is {@link OperatorMessages.Rebalanced}.
   */
  public static final String REBALANCE = "chamberlain.leader.rebalance";
  /** Request/reply: what the leader knows of one chamber ({@link ChamberDetail.Query} → {@link ChamberDetail}): weights and profile. */
  public static final String LEADER_CHAMBER = "chamberlain.leader.chamber";
  /** Every gateway publishes its throughput and latency of the last second here; each sums them for its live feed. */
  public static final String GATEWAY_STATS = "chamberlain.gateways.stats";
  /** Request/reply: the leader's view of the cluster ({@link ClusterStatus}: state, epoch, defenders and their loads). */
  public static final String LEADER_STATUS = "chamberlain.leader.status";
  /**
   * Publish: the leader's view, as {@link #LEADER_STATUS} answers it, once a second. Gateways serve
   * the newest: a publish reaches subscribers registered long ago, while a request needs the new
   * leader's own registration, which a cluster still repairing itself after losing a member can
   * hold up for a minute.
   */
  public static final String LEADER_STATUS_BROADCAST = "chamberlain.leader.status.broadcast";

  /**
   * Every gateway publishes {@link GatewayLanes} here a few times a second: which ingestion lanes it
   * holds. Gateways share the lanes by what they hear ({@link io.chamberlain.lanes.LaneShare}).
   */
  public static final String GATEWAY_LANES = "chamberlain.gateways.lanes";

  /** Delivery header: the defender the sender believes owns the chamber. */
  public static final String HEADER_OWNER = "owner";
  /** Delivery header: the assignment epoch the sender routed by. */
  public static final String HEADER_EPOCH = "epoch";

  public static String defenderInbox(String defenderId) {
    return String.format(DEFENDER_INBOX_FORMAT, Ids.require("defenderId", defenderId));
  }
}
