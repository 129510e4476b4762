package io.chamberlain.nats;

import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StorageType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Optional;

/**
 * The persisted assignment and the fence around it. One JetStream KV entry holds the latest
 * assignment together with the <em>term</em> of the leader that wrote it; every write is a
 * compare-and-set on the entry's revision.
 *
 * <p>Fencing protocol: a newly elected leader {@linkplain #claim claims} the entry by rewriting it
 * with term + 1. From then on any write by an older leader carries a stale revision and fails with
 * {@link FencedOutException} — whether it was deposed by a partition, a freeze or a slow lock
 * release — so it cannot overwrite a newer assignment; it must step down. Leaders persist before
 * they broadcast, so no unpersisted assignment is ever seen, and epochs grow across leaders: the
 * claimant continues from the epoch it read. The leader's {@link LeaderMemo} (restarts it holds,
 * the node of each defender) is part of the entry, so a leader elected meanwhile keeps holding a
 * restart and sees at once which owners vanished with their node.
 *
 * <p>Blocking (NATS request/reply): call it from a worker thread. Survives a full cluster restart
 * (file storage).
 */
public final class AssignmentStore {

  /** JetStream's "wrong last sequence": the entry changed since the revision we hold. */
  private static final int WRONG_LAST_SEQUENCE = 10071;

  /**
   * The entry as read or written: its KV revision, the writer's term, the assignment and the writer's memo.
   * The KV value is {@code {"term":…,"assignment":…,"memo":…}} ({@link #valueOf}, golden file
   * {@code assignment-entry.json}); the revision is the KV's own.
   *
   * <p>Compatibility (a leader of the next version may read what this one wrote, and the other way
   * round during a rolling update): fields a reader does not know are ignored; {@code term} and
   * {@code assignment} are required; a missing {@code memo} reads as {@link LeaderMemo#EMPTY} (as
   * written before the memo was kept). Reading throws {@link IllegalArgumentException} naming the field.
   */
  public record Stored(long revision, long term, AssignmentSnapshot assignment, LeaderMemo memo) {

    /** The KV value of an entry written by a leader of {@code term}. */
    static JsonObject valueOf(long term, AssignmentSnapshot assignment, LeaderMemo memo) {
      return new JsonObject().put("term", term).put("assignment", assignment.toJson()).put("memo", memo.toJson());
    }

    /** The entry of KV revision {@code revision} whose value is {@code value}. */
    static Stored of(long revision, JsonObject value) {
      Object term = value.getValue("term");
      if (!(term instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
        throw new IllegalArgumentException("the assignment entry's 'term' must be a whole number, was " + term);
      }
      if (!(value.getValue("assignment") instanceof JsonObject assignment)) {
        throw new IllegalArgumentException("the assignment entry's 'assignment' must be an object, was "
            + value.getValue("assignment"));
      }
      Object memo = value.getValue("memo");
      if (memo != null && !(memo instanceof JsonObject)) {
        throw new IllegalArgumentException("the assignment entry's 'memo' must be an object, was " + memo);
      }
      return new Stored(revision, number.longValue(), AssignmentSnapshot.fromJson(assignment),
          LeaderMemo.fromJson((JsonObject) memo));
    }
  }

  /** Another leader wrote in between: this one is deposed. */
  public static final class FencedOutException extends Exception {
    public FencedOutException(String message) {
      super(message);
    }
  }

  private final KeyValue kv;

  private AssignmentStore(KeyValue kv) {
    this.kv = kv;
  }

  /** On a single server (one replica). */
  public static AssignmentStore open(Connection nats) throws IOException, JetStreamApiException {
    return open(nats, 1);
  }

  /** Opens the bucket, creating it with {@code replicas} copies (or changing its count to it). */
  public static AssignmentStore open(Connection nats, int replicas) throws IOException, JetStreamApiException {
    JetStreamSetup.ensureKeyValue(nats, KeyValueConfiguration.builder()
        .name(Subjects.ASSIGNMENT_BUCKET)
        .storageType(StorageType.File)
        .maxHistoryPerKey(5)
        .replicas(replicas)
        .build());
    return new AssignmentStore(nats.keyValue(Subjects.ASSIGNMENT_BUCKET));
  }

  public Optional<Stored> load() throws IOException, JetStreamApiException {
    KeyValueEntry entry = KeyValueReads.latest(kv, Subjects.ASSIGNMENT_KEY);
    if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
      return Optional.empty();
    }
    return Optional.of(Stored.of(entry.getRevision(), new JsonObject(Buffer.buffer(entry.getValue()))));
  }

  /**
   * Takes over as the next term: from the entry last {@linkplain #load loaded} ({@code null} if
   * there was none), keeping its assignment.
   *
   * @throws FencedOutException if the entry changed since it was loaded (load and claim again)
   */
  public Stored claim(Stored loaded) throws IOException, JetStreamApiException, FencedOutException {
    if (loaded == null) {
      return write(null, 1, AssignmentSnapshot.EMPTY, LeaderMemo.EMPTY);
    }
    return write(loaded, loaded.term() + 1, loaded.assignment(), loaded.memo());
  }

  /**
   * Persists {@code next} and this leader's memo under the term of {@code current} (what this
   * leader last read or wrote). {@code next} is either a newer epoch, or the same assignment when
   * only the memo changed.
   *
   * @throws FencedOutException if anyone wrote since: this leader is deposed
   */
  public Stored publish(Stored current, AssignmentSnapshot next, LeaderMemo memo)
      throws IOException, JetStreamApiException, FencedOutException {
    long held = current.assignment().epoch();
    if (next.epoch() < held || (next.epoch() == held && !next.equals(current.assignment()))) {
      throw new IllegalArgumentException("epoch must grow: " + next.epoch() + " after " + held
          + " (the same epoch only with the same assignment)");
    }
    return write(current, current.term(), next, memo);
  }

  private Stored write(Stored current, long term, AssignmentSnapshot assignment, LeaderMemo memo)
      throws IOException, JetStreamApiException, FencedOutException {
    byte[] value = Stored.valueOf(term, assignment, memo).toBuffer().getBytes();
    try {
      long revision = current == null
          ? kv.create(Subjects.ASSIGNMENT_KEY, value)
          : kv.update(Subjects.ASSIGNMENT_KEY, value, current.revision());
      return new Stored(revision, term, assignment, memo);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
        throw new FencedOutException("assignment changed since revision "
            + (current == null ? "(none)" : current.revision()) + " (term " + term + "): another leader wrote");
      }
      throw e;
    }
  }
}
