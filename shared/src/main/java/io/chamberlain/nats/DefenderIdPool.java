package io.chamberlain.nats;

import io.chamberlain.config.IdPoolSettings;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;

/**
 * Stable defender ids for replicas that have no stable name ({@code docker compose --scale
 * worker=N} names containers but tells them nothing): a worker claims the lowest free id of its
 * pool ({@link IdPoolSettings}) in a KV bucket ({@link Subjects#DEFENDER_ID_BUCKET}) before it
 * starts, refreshes the claim while it runs, and releases it as the last step of a graceful stop.
 *
 * <p><b>Why the ids survive recreation.</b> {@code docker compose up} recreates a container by
 * stopping the old one (SIGTERM: it announces a restart, hands over, releases its id) and starting
 * the new one, which claims the lowest free id — the one just released. The leader sees the same
 * defender come back: zero moves. When several are recreated at once they may swap ids; the set
 * stays the same, and each id is a restart. A killed worker's claim is not released; it expires
 * after {@link Subjects#DEFENDER_ID_CLAIM_SECONDS} unrefreshed (the bucket's max age), and a
 * replacement started sooner takes another id — the killed one is lost to the cluster at once
 * anyway ("member removed").
 *
 * <p><b>Exclusive.</b> Claims are a compare-and-set create; refreshes an update on the revision the
 * holder last wrote. A holder whose refresh finds another revision (it was cut off past the max age
 * and someone claimed the id) has lost it and must stop at once: two processes must never serve as
 * one defender. Value: {@code {"holder":"<host name>","claimedAt":<epoch ms>}} (golden file
 * {@code defender-id-claim.json}). Blocking (NATS request/reply).
 */
public final class DefenderIdPool {

  private static final System.Logger LOG = System.getLogger(DefenderIdPool.class.getName());
  private static final int WRONG_LAST_SEQUENCE = 10071;

  /** Who holds an id: the holder's host name and when it claimed it. */
  public record Claim(String holder, long claimedAtMillis) {

    public byte[] toBytes() {
      return new JsonObject().put("holder", holder).put("claimedAt", claimedAtMillis).toBuffer().getBytes();
    }

    public static Claim fromBytes(byte[] value) {
      JsonObject json = new JsonObject(Buffer.buffer(value));
      return new Claim(json.getString("holder"), json.getLong("claimedAt", 0L));
    }
  }

  /** An id this process holds at {@code revision}. */
  public final class Held {
    private final String id;
    private final Claim claim;
    private long revision;

    private Held(String id, Claim claim, long revision) {
      this.id = id;
      this.claim = claim;
      this.revision = revision;
    }

    public String id() {
      return id;
    }

    /**
     * Renews the claim. {@code false}: another process holds the id now. An unreachable NATS is not a
     * loss (the claim may still be there): it throws, and the next refresh tries again.
     */
    public synchronized boolean refresh() throws IOException, JetStreamApiException {
      try {
        revision = kv.update(id, claim.toBytes(), revision);
        return true;
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
          throw e;
        }
      }
      // Expired while we were away: ours again if nobody claimed it meanwhile.
      long again = create(id, claim);
      if (again > 0) {
        revision = again;
        return true;
      }
      return false;
    }

    /** Frees the id for the next worker, unless another process holds it already. */
    public synchronized void release() throws IOException, JetStreamApiException {
      try {
        kv.delete(id, revision);
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
          throw e;
        }
      }
    }
  }

  private final KeyValue kv;

  private DefenderIdPool(KeyValue kv) {
    this.kv = kv;
  }

  /** On a single server (one replica). */
  public static DefenderIdPool open(Connection nats) throws IOException, JetStreamApiException {
    return open(nats, 1);
  }

  /** Opens the bucket, creating it with {@code replicas} copies (or changing its count to it). */
  public static DefenderIdPool open(Connection nats, int replicas) throws IOException, JetStreamApiException {
    return open(nats, Duration.ofSeconds(Subjects.DEFENDER_ID_CLAIM_SECONDS), replicas);
  }

  /** With the claims' lifetime {@code claimExpiry} (if this creates the bucket; tests shorten it). */
  public static DefenderIdPool open(Connection nats, Duration claimExpiry) throws IOException, JetStreamApiException {
    return open(nats, claimExpiry, 1);
  }

  private static DefenderIdPool open(Connection nats, Duration claimExpiry, int replicas) throws IOException, JetStreamApiException {
    JetStreamSetup.ensureKeyValue(nats, KeyValueConfiguration.builder()
        .name(Subjects.DEFENDER_ID_BUCKET)
        .storageType(StorageType.File)
        .maxHistoryPerKey(1)
        .ttl(claimExpiry)
        .replicas(replicas)
        .build());
    return new DefenderIdPool(nats.keyValue(Subjects.DEFENDER_ID_BUCKET));
  }

  /**
   * Claims the lowest free id of the pool for {@code holder}.
   *
   * @throws IllegalStateException naming the pool if every id is held
   */
  public Held claim(IdPoolSettings pool, String holder, long nowMillis) throws IOException, JetStreamApiException {
    Claim claim = new Claim(holder, nowMillis);
    for (int slot = 1; slot <= pool.size(); slot++) {
      String id = pool.idOf(slot);
      long revision = create(id, claim);
      if (revision > 0) {
        LOG.log(System.Logger.Level.INFO, "defender ids: [" + holder + "] claimed [" + id + "]");
        return new Held(id, claim, revision);
      }
    }
    throw new IllegalStateException("all " + pool.size() + " ids of the defender id pool (" + pool.idOf(1) + " … "
        + pool.idOf(pool.size()) + ") are claimed: raise defender.idPool.size, or wait "
        + Subjects.DEFENDER_ID_CLAIM_SECONDS + " s for the claims of killed workers to expire");
  }

  /** Who holds {@code id}, or {@code null}. */
  public Claim holderOf(String id) throws IOException, JetStreamApiException {
    var entry = KeyValueReads.latest(kv, id);
    return entry == null || entry.getValue() == null ? null : Claim.fromBytes(entry.getValue());
  }

  /** The revision of a successful create, or -1 if the id is held. */
  private long create(String id, Claim claim) throws IOException, JetStreamApiException {
    try {
      return kv.create(id, claim.toBytes());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
        return -1;
      }
      throw e;
    }
  }
}
