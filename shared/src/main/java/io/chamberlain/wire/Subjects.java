package io.chamberlain.wire;

import io.chamberlain.domain.ChamberKey;

/**
 * Every NATS subject, stream, consumer and bucket name Chamberlain uses, defined once.
 * Tokens come from validated ids ({@link io.chamberlain.domain.Ids}), so no wildcard or dot can
 * be injected through a tool or chamber id.
 */
public final class Subjects {

  private Subjects() {
  }

  /** Completion events from the data collectors: {@code dc.{toolId}.{chamberId}.completed}. */
  public static final String COMPLETED_FORMAT = "dc.%s.%s.completed";
  /** Filter that captures every chamber's completions (the stream's subject). */
  public static final String COMPLETED_ALL = "dc.*.*.completed";
  /**
   * With {@code ingest.lanes} above 1, the NATS server maps each completion to its lane —
   * {@code dc.{toolId}.{chamberId}.completed.{lane}}, the lane a hash of tool and chamber (nats-server's
   * {@code partition} mapping, so publishers keep the subject above and one chamber is always in one
   * lane) — and the stream captures these instead.
   */
  public static final String COMPLETED_IN_LANES = "dc.*.*.completed.*";
  /** Stream that holds completions until a defender has processed them. */
  public static final String COMPLETIONS_STREAM = "CHAMBERLAIN_COMPLETIONS";
  /** Durable pull consumer the gateways' ingestion reads the completions stream with (one lane). */
  public static final String INGEST_CONSUMER = "chamberlain-ingest";
  /** Durable pull consumer of lane {@code %d} when the completions are split into lanes. */
  public static final String INGEST_LANE_CONSUMER_FORMAT = "chamberlain-ingest-lane-%d";

  /**
   * Dead letters: {@code dc.dlq.{reason-token}}; the reason, the original subject and the deliveries
   * travel in headers ({@link NatsHeaders#DLQ_REASON} and the others there).
   */
  public static final String DEAD_LETTER_FORMAT = "dc.dlq.%s";
  /** Filter for every dead letter (subscribe with this). */
  public static final String DEAD_LETTER_ALL = "dc.dlq.>";
  /**
   * What the dead-letter stream captures: {@code dc.dlq.{reason}} only. The wider {@code dc.dlq.>}
   * would overlap {@code dc.*.*.completed} (both match {@code dc.dlq.x.completed}), which
   * JetStream refuses.
   */
  public static final String DEAD_LETTER_STREAM_SUBJECTS = "dc.dlq.*";
  /** Stream that keeps dead letters for inspection and replay. */
  public static final String DEAD_LETTER_STREAM = "CHAMBERLAIN_DLQ";

  /** Verdicts: {@code defense.{toolId}.{chamberId}.result}, deduplicated by {@link NatsHeaders#MSG_ID} = contextId. */
  public static final String VERDICT_FORMAT = "defense.%s.%s.result";
  /** Filter for every verdict. */
  public static final String VERDICT_ALL = "defense.*.*.result";
  /** Stream that keeps every verdict once (audit, replay, exactly-once reading). */
  public static final String VERDICT_STREAM = "CHAMBERLAIN_VERDICTS";
  /** The leader's history ({@link HistoryEntry}: takeovers, state changes, moves, defenders), one subject. */
  public static final String HISTORY = "chamberlain.history";
  /** Keeps the newest {@code HISTORY_LIMIT} history entries, so what moved last night can still be read. */
  public static final String HISTORY_STREAM = "CHAMBERLAIN_HISTORY";
  public static final int HISTORY_LIMIT = 10_000;
  /** KV bucket of operators' chamber profile changes ({@link ProfileChange}), key {@link #chamberStateKey}. */
  public static final String PROFILE_BUCKET = "chamberlain-chamber-profiles";

  /**
   * KV bucket of claimed defender ids ({@link io.chamberlain.nats.DefenderIdPool}), key = the id,
   * value its holder; a claim not refreshed for {@link #DEFENDER_ID_CLAIM_SECONDS} expires.
   */
  public static final String DEFENDER_ID_BUCKET = "chamberlain-defender-ids";
  public static final int DEFENDER_ID_CLAIM_SECONDS = 60;

  /** KV bucket holding the one persisted assignment, with the leader term that wrote it. */
  public static final String ASSIGNMENT_BUCKET = "chamberlain-assignment";
  /** The key of the assignment in {@link #ASSIGNMENT_BUCKET}. */
  public static final String ASSIGNMENT_KEY = "current";
  /**
   * The leader's lease in {@link #ASSIGNMENT_BUCKET}: the node that leads, renewed every few hundred
   * milliseconds; a lease nobody renews for long is free (the leader froze or died).
   */
  public static final String LEADER_LEASE_KEY = "leader";

  /**
   * The lease of ingestion lane {@code lane} in {@link #ASSIGNMENT_BUCKET}: the gateway that reads the
   * lane, renewed several times a second; what decides a lane's reader when the cluster is split.
   */
  public static String laneLeaseKey(int lane) {
    return "lane-" + lane;
  }

  /** KV bucket with each chamber's defense state (limits, history, processed contexts), key {@code {toolId}.{chamberId}}. */
  public static final String CHAMBER_STATE_BUCKET = "chamberlain-chamber-state";
  /** Object store bucket with context traces, one object per context id (the event's {@code traceRef}). */
  public static final String TRACE_BUCKET = "chamberlain-traces";
  /** Object store bucket the {@code defense-bench --nats} run stores its traces in; deleted when it ends. */
  public static final String BENCH_TRACE_BUCKET = "chamberlain-bench-traces";
  /** KV bucket the {@code defense-bench --nats} run writes chamber states to; deleted when it ends. */
  public static final String BENCH_CHAMBER_STATE_BUCKET = "chamberlain-bench-chamber-state";

  /** What the completions stream captures with {@code lanes} ingestion lanes. */
  public static String completionsStreamSubject(int lanes) {
    return lanes == 1 ? COMPLETED_ALL : COMPLETED_IN_LANES;
  }

  /** The filter of lane {@code lane} of {@code lanes}. */
  public static String laneFilter(int lane, int lanes) {
    return lanes == 1 ? COMPLETED_ALL : "dc.*.*.completed." + lane;
  }

  /** The durable consumer of lane {@code lane} of {@code lanes}. */
  public static String laneConsumer(int lane, int lanes) {
    return lanes == 1 ? INGEST_CONSUMER : String.format(INGEST_LANE_CONSUMER_FORMAT, lane);
  }

  /**
   * The nats-server subject mapping that splits completions into {@code lanes} lanes: source and
   * destination of its {@code mappings} block. nats-server 2.8+ hashes the tool and chamber tokens.
   */
  public static java.util.Map.Entry<String, String> laneMapping(int lanes) {
    return java.util.Map.entry(COMPLETED_ALL,
        "dc.{{wildcard(1)}}.{{wildcard(2)}}.completed.{{partition(" + lanes + ",1,2)}}");
  }

  public static String chamberStateKey(ChamberKey chamber) {
    return chamber.toolId() + "." + chamber.chamberId();
  }

  public static String completed(ChamberKey chamber) {
    return String.format(COMPLETED_FORMAT, chamber.toolId(), chamber.chamberId());
  }

  public static String verdict(ChamberKey chamber) {
    return String.format(VERDICT_FORMAT, chamber.toolId(), chamber.chamberId());
  }

  public static String deadLetter(String reasonToken) {
    return String.format(DEAD_LETTER_FORMAT, reasonToken);
  }

  /**
   * The subject a message was published to, from {@link io.nats.client.Message#getSubject()} of a
   * received one. jnats (2.26, {@code NatsConnectionReader}) reads the protocol line one byte per
   * {@code char} with sign extension, so each byte of a non-ASCII character arrives as {@code
   * U+FF80}–{@code U+FFFF} ('ø', UTF-8 {@code C3 B8}, as {@code U+FFC3 U+FFB8}); this puts the bytes
   * back together as UTF-8. ASCII subjects, and any text jnats did not produce, come back unchanged.
   */
  public static String asPublished(String received) {
    if (received == null || received.chars().allMatch(c -> c < 0x80)) {
      return received;
    }
    byte[] bytes = new byte[received.length()];
    for (int i = 0; i < received.length(); i++) {
      char c = received.charAt(i);
      if (c >= 0x80 && c < 0xFF80) {
        return received; // not a byte jnats widened
      }
      bytes[i] = (byte) c;
    }
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
