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

  /** The entry as read or written: its KV revision, the writer's term, the assignment and the writer's memo. */
  public record Stored(long revision, long term, AssignmentSnapshot assignment, LeaderMemo memo) {
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

  public static AssignmentStore open(Connection nats) throws IOException, JetStreamApiException {
    JetStreamSetup.ensureKeyValue(nats, KeyValueConfiguration.builder()
        .name(Subjects.ASSIGNMENT_BUCKET)
        .storageType(StorageType.File)
        .maxHistoryPerKey(5)
        .build());
    return new AssignmentStore(nats.keyValue(Subjects.ASSIGNMENT_BUCKET));
  }

  public Optional<Stored> load() throws IOException, JetStreamApiException {
    KeyValueEntry entry = kv.get(Subjects.ASSIGNMENT_KEY);
    if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
      return Optional.empty();
    }
    JsonObject json = new JsonObject(Buffer.buffer(entry.getValue()));
    return Optional.of(new Stored(entry.getRevision(), json.getLong("term"),
        AssignmentSnapshot.fromJson(json.getJsonObject("assignment")), LeaderMemo.fromJson(json.getJsonObject("memo"))));
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
    byte[] value = new JsonObject().put("term", term).put("assignment", assignment.toJson())
        .put("memo", memo.toJson()).toBuffer().getBytes();
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
