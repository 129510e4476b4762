package io.chamberlain.nats;

import io.chamberlain.wire.ProfileChange;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The chamber profiles operators registered, updated or removed through the status API, one key
 * per chamber ({@link Subjects#chamberStateKey}), the last change winning. Only the leader writes;
 * a newly elected leader applies them over the catalog file, so an operator's change outlives the
 * leader that made it. A removal is kept as a change without a profile (a tombstone), or the
 * catalog file would bring the chamber back at the next takeover.
 */
public final class ProfileStore {

  private static final System.Logger LOG = System.getLogger(ProfileStore.class.getName());
  private final KeyValue kv;

  private ProfileStore(KeyValue kv) {
    this.kv = kv;
  }

  /** Opens the bucket, creating it with {@code replicas} copies (or changing its count to it). */
  public static ProfileStore open(Connection nats, int replicas) throws IOException, JetStreamApiException {
    JetStreamSetup.ensureKeyValue(nats, KeyValueConfiguration.builder()
        .name(Subjects.PROFILE_BUCKET)
        .storageType(StorageType.File)
        .maxHistoryPerKey(1)
        .replicas(replicas)
        .build());
    return new ProfileStore(nats.keyValue(Subjects.PROFILE_BUCKET));
  }

  public void save(ProfileChange change) throws IOException, JetStreamApiException {
    kv.put(Subjects.chamberStateKey(change.chamber()), change.toJson().encode().getBytes(StandardCharsets.UTF_8));
  }

  /** Every stored change; an unreadable one is logged and skipped (the catalog's profile stands). */
  public List<ProfileChange> all() throws IOException, JetStreamApiException, InterruptedException {
    List<ProfileChange> changes = new ArrayList<>();
    for (String key : kv.keys()) {
      KeyValueEntry entry = KeyValueReads.latest(kv, key);
      if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
        continue;
      }
      try {
        changes.add(ProfileChange.fromJson(new JsonObject(Buffer.buffer(entry.getValue()))));
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "profiles: skipping unreadable change under [" + key + "]: " + e.getMessage());
      }
    }
    return changes;
  }
}
