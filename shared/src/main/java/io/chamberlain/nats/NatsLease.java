package io.chamberlain.nats;

import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * A lease in NATS KV: one key of the assignment bucket naming the node that holds something — the
 * leader's ({@link Subjects#LEADER_LEASE_KEY}: the node that leads) or an ingestion lane's
 * ({@link Subjects#laneLeaseKey}: the gateway that reads it). Taken and renewed with compare-and-set
 * on its revision, so of several candidates that find it free exactly one gets it, and a holder that
 * lost it (someone took an expired lease while it was frozen) learns so at its next renewal. Whether
 * a lease is free or expired is the candidate's judgement ({@link io.chamberlain.leader.LeaseWatch});
 * this class only reads and writes it. NATS is the judge because every node reaches it even when the
 * cluster is split. The fence on the assignment itself stays the term ({@link AssignmentStore}).
 *
 * <pre>{"node":"2fb2d15a-…","released":false}</pre>
 *
 * <p>Blocking (NATS request/reply): call it from a worker thread.
 */
public final class NatsLease {

  private static final int WRONG_LAST_SEQUENCE = 10071;
  private static final String NODE = "node";
  private static final String RELEASED = "released";

  /** The lease as read: its revision (0: there is none), the holder's node, whether it was released. */
  public record Seen(long revision, String holderNode, boolean released) {

    public static final Seen NONE = new Seen(0, null, false);

    byte[] toBytes() {
      return new JsonObject().put(NODE, holderNode).put(RELEASED, released).toBuffer().getBytes();
    }

    static Seen fromBytes(long revision, byte[] value) {
      JsonObject json = new JsonObject(Buffer.buffer(value));
      return new Seen(revision, json.getString(NODE), json.getBoolean(RELEASED, false));
    }
  }

  private final KeyValue kv;
  private final String key;

  private NatsLease(KeyValue kv, String key) {
    this.kv = kv;
    this.key = key;
  }

  /** The leader's lease on a single server (one replica). */
  public static NatsLease leader(Connection nats) throws IOException, JetStreamApiException {
    return leader(nats, 1);
  }

  /** Opens the leader's lease in the assignment bucket (created with {@link AssignmentStore#open}, {@code replicas} copies). */
  public static NatsLease leader(Connection nats, int replicas) throws IOException, JetStreamApiException {
    AssignmentStore.open(nats, replicas);
    return new NatsLease(nats.keyValue(Subjects.ASSIGNMENT_BUCKET), Subjects.LEADER_LEASE_KEY);
  }

  /** Opens the lease of ingestion lane {@code lane} in the assignment bucket ({@code replicas} copies). */
  public static NatsLease lane(Connection nats, int replicas, int lane) throws IOException, JetStreamApiException {
    AssignmentStore.open(nats, replicas);
    return new NatsLease(nats.keyValue(Subjects.ASSIGNMENT_BUCKET), Subjects.laneLeaseKey(lane));
  }

  public Seen read() throws IOException, JetStreamApiException {
    KeyValueEntry entry = KeyValueReads.latest(kv, key);
    if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
      return Seen.NONE;
    }
    return Seen.fromBytes(entry.getRevision(), entry.getValue());
  }

  /**
   * Takes the lease as it was {@code seen} for {@code node}.
   *
   * @return the lease's new revision, or -1 if it changed since (another candidate was faster)
   */
  public long take(Seen seen, String node) throws IOException, JetStreamApiException {
    return write(seen.revision(), new Seen(0, node, false));
  }

  /** @return the new revision, or -1 if the lease is no longer at {@code revision}: it was taken */
  public long renew(long revision, String node) throws IOException, JetStreamApiException {
    return write(revision, new Seen(0, node, false));
  }

  /** Lets go (a clean step-down or stop): the next candidate may take it at once. Fails quietly if it was taken. */
  public void release(long revision, String node) throws IOException, JetStreamApiException {
    write(revision, new Seen(0, node, true));
  }

  private long write(long expectedRevision, Seen value) throws IOException, JetStreamApiException {
    try {
      return expectedRevision == 0
          ? kv.create(key, value.toBytes())
          : kv.update(key, value.toBytes(), expectedRevision);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
        return -1;
      }
      throw e;
    }
  }
}
