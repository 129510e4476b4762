package io.chamberlain.worker.runtime;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.nats.KeyValueReads;
import io.chamberlain.nats.StorageLimitException;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StorageType;
import java.io.IOException;

/**
 * Each chamber's defense state in JetStream KV, written with compare-and-set on the revision the
 * owner last read or wrote. A chamber that moves, or whose defender crashed, continues on its new
 * owner from the last state a verdict was published with. Blocking: worker threads only.
 */
public final class ChamberStateStore {

  private static final int WRONG_LAST_SEQUENCE = 10071;
  /** A 1,000-SVID chamber's state is ~370 KB; the server's max_payload (1 MB default) must fit it. */
  private static final long MAX_STATE_BYTES = 1L << 20;

  /** The persisted bytes ({@code null} for a chamber never seen) and their revision (0 if none). */
  public record Loaded(byte[] bytes, long revision) {
  }

  /** Someone else wrote the chamber's state since this owner read it. */
  public static final class StaleStateException extends Exception {
    public StaleStateException(String message) {
      super(message);
    }
  }

  private final KeyValue kv;

  private ChamberStateStore(KeyValue kv) {
    this.kv = kv;
  }

  /** On a single server (one replica). */
  public static ChamberStateStore open(Connection nats) throws IOException, JetStreamApiException {
    return open(nats, Subjects.CHAMBER_STATE_BUCKET, 1);
  }

  /** Opens the chambers' state bucket, creating it with {@code replicas} copies (or changing its count to it). */
  public static ChamberStateStore open(Connection nats, int replicas) throws IOException, JetStreamApiException {
    return open(nats, Subjects.CHAMBER_STATE_BUCKET, replicas);
  }

  /** A store in another bucket configured the same way (the benchmark's). */
  public static ChamberStateStore open(Connection nats, String bucket, int replicas) throws IOException, JetStreamApiException {
    JetStreamSetup.ensureKeyValue(nats, KeyValueConfiguration.builder().name(bucket)
        .storageType(StorageType.File).maxHistoryPerKey(1).maxValueSize(MAX_STATE_BYTES).replicas(replicas).build());
    return new ChamberStateStore(nats.keyValue(bucket));
  }

  public Loaded load(ChamberKey chamber) throws IOException, JetStreamApiException {
    KeyValueEntry entry = KeyValueReads.latest(kv, Subjects.chamberStateKey(chamber));
    if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
      return new Loaded(null, 0);
    }
    return new Loaded(entry.getValue(), entry.getRevision());
  }

  /** Latest revision, without the value (cheap check whether a cached state is still current). */
  public long revision(ChamberKey chamber) throws IOException, JetStreamApiException {
    KeyValueEntry entry = KeyValueReads.latest(kv, Subjects.chamberStateKey(chamber));
    return entry == null || entry.getOperation() != KeyValueOperation.PUT ? 0 : entry.getRevision();
  }

  /** @return the new revision */
  public long save(ChamberKey chamber, byte[] state, long expectedRevision)
      throws IOException, JetStreamApiException, StaleStateException {
    try {
      return StorageLimitException.guard(kv.getBucketName(), () -> expectedRevision == 0
          ? kv.create(Subjects.chamberStateKey(chamber), state)
          : kv.update(Subjects.chamberStateKey(chamber), state, expectedRevision));
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
        throw new StaleStateException("state of chamber " + chamber + " changed since revision "
            + expectedRevision + " (another owner processed it)");
      }
      throw e;
    }
  }
}
