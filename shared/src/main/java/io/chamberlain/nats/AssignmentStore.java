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
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

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
 * claimant continues from the epoch it read. Announced restarts the leader is holding are part of
 * the entry, so a leader elected while a defender restarts — often because the leader ran on it —
 * keeps holding its chambers instead of taking its silence for a crash.
 *
 * <p>Blocking (NATS request/reply): call it from a worker thread. Survives a full cluster restart
 * (file storage).
 */
public final class AssignmentStore {

  /** JetStream's "wrong last sequence": the entry changed since the revision we hold. */
  private static final int WRONG_LAST_SEQUENCE = 10071;

  /**
   * The entry as read or written: its KV revision, the writer's term, the assignment, and the
   * restarts the writer was holding (by defender id).
   */
  public record Stored(long revision, long term, AssignmentSnapshot assignment, SortedMap<String, RestartHold> holds) {
    public Stored {
      holds = Collections.unmodifiableSortedMap(new TreeMap<>(holds));
    }
  }

  /**
   * A defender that announced a restart: its chambers are held until {@code untilMillis} (wall
   * clock of the leader that granted it); {@code nodeId} is the cluster node it announced from, so
   * heartbeats of that old process, still draining, are not taken for its return.
   */
  public record RestartHold(long untilMillis, String nodeId) {
    JsonObject toJson() {
      return new JsonObject().put("until", untilMillis).put("node", nodeId);
    }

    static RestartHold fromJson(JsonObject json) {
      return new RestartHold(json.getLong("until"), json.getString("node"));
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
    SortedMap<String, RestartHold> holds = new TreeMap<>();
    json.getJsonObject("restartHolds", new JsonObject()).forEach(hold ->
        holds.put(hold.getKey(), RestartHold.fromJson((JsonObject) hold.getValue())));
    return Optional.of(new Stored(entry.getRevision(), json.getLong("term"),
        AssignmentSnapshot.fromJson(json.getJsonObject("assignment")), holds));
  }

  /**
   * Takes over as the next term: from the entry last {@linkplain #load loaded} ({@code null} if
   * there was none), keeping its assignment.
   *
   * @throws FencedOutException if the entry changed since it was loaded (load and claim again)
   */
  public Stored claim(Stored loaded) throws IOException, JetStreamApiException, FencedOutException {
    if (loaded == null) {
      return write(null, 1, AssignmentSnapshot.EMPTY, Map.of());
    }
    return write(loaded, loaded.term() + 1, loaded.assignment(), loaded.holds());
  }

  /**
   * Persists {@code next} and the restarts held with it under the term of {@code current} (what
   * this leader last read or wrote). {@code next} is either a newer epoch, or the same assignment
   * when only the holds changed.
   *
   * @throws FencedOutException if anyone wrote since: this leader is deposed
   */
  public Stored publish(Stored current, AssignmentSnapshot next, Map<String, RestartHold> holds)
      throws IOException, JetStreamApiException, FencedOutException {
    long held = current.assignment().epoch();
    if (next.epoch() < held || (next.epoch() == held && !next.equals(current.assignment()))) {
      throw new IllegalArgumentException("epoch must grow: " + next.epoch() + " after " + held
          + " (the same epoch only with the same assignment)");
    }
    return write(current, current.term(), next, holds);
  }

  private Stored write(Stored current, long term, AssignmentSnapshot assignment, Map<String, RestartHold> holds)
      throws IOException, JetStreamApiException, FencedOutException {
    JsonObject heldRestarts = new JsonObject();
    new TreeMap<>(holds).forEach((defenderId, hold) -> heldRestarts.put(defenderId, hold.toJson()));
    byte[] value = new JsonObject().put("term", term).put("assignment", assignment.toJson())
        .put("restartHolds", heldRestarts).toBuffer().getBytes();
    try {
      long revision = current == null
          ? kv.create(Subjects.ASSIGNMENT_KEY, value)
          : kv.update(Subjects.ASSIGNMENT_KEY, value, current.revision());
      return new Stored(revision, term, assignment, new TreeMap<>(holds));
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
        throw new FencedOutException("assignment changed since revision "
            + (current == null ? "(none)" : current.revision()) + " (term " + term + "): another leader wrote");
      }
      throw e;
    }
  }
}
