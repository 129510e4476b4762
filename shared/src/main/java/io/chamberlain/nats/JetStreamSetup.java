package io.chamberlain.nats;

import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Creates or updates the JetStream streams Chamberlain relies on. Idempotent, so every node may run
 * it at startup; the last writer's limits win. Blocking: call it from a worker thread.
 *
 * <p>Every stream, KV bucket and object store is kept with {@code replicas} copies
 * ({@code nats.replicas}): 3 on a 3-server NATS cluster survives the loss of any one server. One that
 * exists with another count is changed to it by a stream update (JetStream adds or drops the peers
 * and catches the new ones up), so raising {@code nats.replicas} on a running cluster needs no
 * migration; a count the servers cannot hold (more than 1 on a single, unclustered server; more than
 * the cluster has servers) is refused with the key named.
 */
public final class JetStreamSetup {

  private static final System.Logger LOG = System.getLogger(JetStreamSetup.class.getName());
  private static final int STREAM_NOT_FOUND = 10059;
  /** The stream behind KV bucket {@code b} is {@code KV_b}; behind object store {@code o}, {@code OBJ_o} (JetStream's naming). */
  static final String KEY_VALUE_STREAM_PREFIX = "KV_";
  static final String OBJECT_STORE_STREAM_PREFIX = "OBJ_";
  /** Window in which a republished verdict or completion with the same Nats-Msg-Id is dropped. */
  public static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(10);

  private JetStreamSetup() {
  }

  /** Limits of the completions stream (from the gateway's config) and the lanes it is split into. */
  public record CompletionLimits(StorageType storage, Duration maxAge, long maxBytes, int lanes, int replicas) {
    public static final CompletionLimits DEFAULT =
        new CompletionLimits(StorageType.File, Duration.ofDays(7), 1L << 30, 1, 1);

    /** On a single server (one replica). */
    public CompletionLimits(StorageType storage, Duration maxAge, long maxBytes, int lanes) {
      this(storage, maxAge, maxBytes, lanes, 1);
    }
  }

  /**
   * Creates or updates the completions stream. A change of the lane count changes the subjects it
   * captures and the consumers that read it; events still waiting in the old lanes would never be
   * read again, so the change is refused while any consumer has events pending or un-acked, and the
   * old lanes' consumers are deleted when it goes ahead.
   *
   * <p>Discard-new: at its size limit the stream refuses the publisher rather than deleting its oldest
   * events, which may not be judged yet. Judged events are removed to make room by the gateway
   * ({@code CompletionsRoomKeeper}); a stream created with discard-old (before this) is changed in
   * place — nats-server 2.9 updates the discard policy of a stream, unlike its retention. Its message
   * limit is the keeper's gate, closed while un-judged events fill the stream: kept as it is.
   *
   * @throws IllegalStateException when the lane count changes while events wait
   */
  public static void ensureCompletions(Connection nats, CompletionLimits limits)
      throws IOException, JetStreamApiException {
    String subject = Subjects.completionsStreamSubject(limits.lanes());
    JetStreamManagement jsm = nats.jetStreamManagement();
    StreamInfo existing = streamInfo(jsm, Subjects.COMPLETIONS_STREAM);
    if (existing != null && !existing.getConfiguration().getSubjects().equals(List.of(subject))) {
      long waiting = 0;
      for (ConsumerInfo consumer : jsm.getConsumers(Subjects.COMPLETIONS_STREAM)) {
        waiting += consumer.getNumPending() + consumer.getNumAckPending();
      }
      if (waiting > 0) {
        throw new IllegalStateException("ingest.lanes changed to " + limits.lanes() + " (stream captures "
            + existing.getConfiguration().getSubjects() + ", needs [" + subject + "]) while " + waiting
            + " event(s) wait in the old lanes; start the gateways with the old ingest.lanes until they are processed");
      }
      for (String consumer : jsm.getConsumerNames(Subjects.COMPLETIONS_STREAM)) {
        jsm.deleteConsumer(Subjects.COMPLETIONS_STREAM, consumer);
      }
    }
    if (existing != null && existing.getConfiguration().getDiscardPolicy() != DiscardPolicy.New) {
      LOG.log(System.Logger.Level.INFO, "jetstream: stream [" + Subjects.COMPLETIONS_STREAM + "] discard "
          + existing.getConfiguration().getDiscardPolicy() + " -> " + DiscardPolicy.New
          + " (a full stream refuses publishers, deletes nothing)");
    }
    ensure(nats, StreamConfiguration.builder()
        .name(Subjects.COMPLETIONS_STREAM)
        .subjects(subject)
        .storageType(limits.storage())
        .maxAge(limits.maxAge())
        .maxBytes(limits.maxBytes())
        .maxMessages(existing == null ? -1 : existing.getConfiguration().getMaxMsgs())
        .discardPolicy(DiscardPolicy.New)
        .duplicateWindow(DUPLICATE_WINDOW)
        .replicas(limits.replicas())
        .build());
  }

  private static StreamInfo streamInfo(JetStreamManagement jsm, String stream) throws IOException, JetStreamApiException {
    try {
      return jsm.getStreamInfo(stream);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
      return null;
    }
  }

  /** {@link #ensureDeadLetters(Connection, int)} on a single server. */
  public static void ensureDeadLetters(Connection nats) throws IOException, JetStreamApiException {
    ensureDeadLetters(nats, 1);
  }

  /** Dead letters are kept a month for inspection and replay. */
  public static void ensureDeadLetters(Connection nats, int replicas) throws IOException, JetStreamApiException {
    ensure(nats, StreamConfiguration.builder()
        .name(Subjects.DEAD_LETTER_STREAM)
        .subjects(Subjects.DEAD_LETTER_STREAM_SUBJECTS)
        .storageType(StorageType.File)
        .maxAge(Duration.ofDays(30))
        .replicas(replicas)
        .build());
  }

  /** {@link #ensureVerdicts(Connection, int)} on a single server. */
  public static void ensureVerdicts(Connection nats) throws IOException, JetStreamApiException {
    ensureVerdicts(nats, 1);
  }

  /** Verdicts are kept for audit and replay, deduplicated by context id ({@code Nats-Msg-Id}). */
  public static void ensureVerdicts(Connection nats, int replicas) throws IOException, JetStreamApiException {
    ensure(nats, StreamConfiguration.builder()
        .name(Subjects.VERDICT_STREAM)
        .subjects(Subjects.VERDICT_ALL)
        .storageType(StorageType.File)
        .maxAge(Duration.ofDays(30))
        .duplicateWindow(DUPLICATE_WINDOW)
        .replicas(replicas)
        .build());
  }

  /**
   * The leader's history: the newest {@link Subjects#HISTORY_LIMIT} entries, at most 30 days. The
   * leader publishes to it without waiting for acknowledgements — an entry lost to a NATS outage
   * costs the operator a line, never a chamber.
   */
  public static void ensureHistory(Connection nats, int replicas) throws IOException, JetStreamApiException {
    ensure(nats, StreamConfiguration.builder()
        .name(Subjects.HISTORY_STREAM)
        .subjects(Subjects.HISTORY)
        .storageType(StorageType.File)
        .maxMessages(Subjects.HISTORY_LIMIT)
        .maxAge(Duration.ofDays(30))
        .replicas(replicas)
        .build());
  }

  /**
   * Creates the trace object store if missing. Traces are large (4 bytes per data point), so they
   * expire after {@code ttl}: it must outlast every retry and any outage the completions may wait
   * through, or late events are dead-lettered for a missing trace.
   */
  public static void ensureTraces(Connection nats, Duration ttl) throws IOException, JetStreamApiException {
    ensureTraces(nats, Subjects.TRACE_BUCKET, ttl, 1);
  }

  /** {@link #ensureTraces(Connection, Duration)} with {@code replicas} copies. */
  public static void ensureTraces(Connection nats, Duration ttl, int replicas) throws IOException, JetStreamApiException {
    ensureTraces(nats, Subjects.TRACE_BUCKET, ttl, replicas);
  }

  /** {@link #ensureTraces(Connection, Duration)} for another bucket of the same kind (the benchmark's). */
  public static void ensureTraces(Connection nats, String bucket, Duration ttl, int replicas)
      throws IOException, JetStreamApiException {
    try {
      nats.objectStoreManagement().getStatus(bucket);
      ensureReplicas(nats, OBJECT_STORE_STREAM_PREFIX + bucket, replicas, false);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
      refusedReplicas(OBJECT_STORE_STREAM_PREFIX + bucket, replicas, () -> nats.objectStoreManagement().create(
          ObjectStoreConfiguration.builder().name(bucket).storageType(StorageType.File).ttl(ttl).replicas(replicas).build()));
    }
  }

  /**
   * Creates the KV bucket if it does not exist yet. An existing bucket keeps its settings (history,
   * TTL), except its replica count, which becomes the configuration's, and where it is read from.
   *
   * <p>Every KV read here feeds a compare-and-set decision (a chamber's state and its revision, a
   * lease, the assignment's term, a defender id), so it must see every write already acknowledged.
   * A KV get is by default a direct get, answered by whichever replica's server is asked first — also
   * one still catching up (nats-server 2.9 lets a follower answer once it is 90 % caught up), which
   * answers with an older entry. A bucket kept at more than one replica is therefore read from its
   * stream leader ({@code allow_direct} off); at one replica the only server is the leader and the
   * direct get stays. Nodes that opened the bucket before the change learn it from {@link KeyValueReads}.
   */
  public static void ensureKeyValue(Connection nats, KeyValueConfiguration config) throws IOException, JetStreamApiException {
    String stream = KEY_VALUE_STREAM_PREFIX + config.getBucketName();
    try {
      nats.keyValueManagement().getStatus(config.getBucketName());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
      // Created with its read mode in one step: a stream update right after creating a replicated
      // stream can wait for a stream leader not elected yet, and time out (seen with 3 servers).
      StreamConfiguration backing = StreamConfiguration.builder(config.getBackingConfig())
          .allowDirect(!readsFromLeader(config.getReplicas())).build();
      refusedReplicas(stream, config.getReplicas(), () -> nats.jetStreamManagement().addStream(backing));
      return;
    }
    ensureReplicas(nats, stream, config.getReplicas(), true);
  }

  /** Whether a KV bucket kept at {@code replicas} copies is read from its stream leader only (see {@link #ensureKeyValue}). */
  private static boolean readsFromLeader(int replicas) {
    return replicas > 1;
  }

  /**
   * Changes the replica count of an existing stream (a KV bucket's or object store's) if it differs;
   * a KV bucket's also where it is read from ({@link #ensureKeyValue}).
   */
  private static void ensureReplicas(Connection nats, String stream, int replicas, boolean keyValue)
      throws IOException, JetStreamApiException {
    JetStreamManagement jsm = nats.jetStreamManagement();
    StreamConfiguration existing = jsm.getStreamInfo(stream).getConfiguration();
    boolean allowDirect = keyValue ? !readsFromLeader(replicas) : existing.getAllowDirect();
    if (existing.getReplicas() == replicas && existing.getAllowDirect() == allowDirect) {
      return;
    }
    LOG.log(System.Logger.Level.INFO, "jetstream: stream [" + stream + "] replicas " + existing.getReplicas() + " -> "
        + replicas + " (nats.replicas), read from " + (allowDirect ? "any replica" : "its leader"));
    refusedReplicas(stream, replicas,
        () -> jsm.updateStream(StreamConfiguration.builder(existing).replicas(replicas).allowDirect(allowDirect).build()));
  }

  private static void ensure(Connection nats, StreamConfiguration config)
      throws IOException, JetStreamApiException {
    JetStreamManagement jsm = nats.jetStreamManagement();
    StreamInfo existing = streamInfo(jsm, config.getName());
    if (existing == null) {
      refusedReplicas(config.getName(), config.getReplicas(), () -> jsm.addStream(config));
      return;
    }
    if (existing.getConfiguration().getReplicas() != config.getReplicas()) {
      LOG.log(System.Logger.Level.INFO, "jetstream: stream [" + config.getName() + "] replicas "
          + existing.getConfiguration().getReplicas() + " -> " + config.getReplicas() + " (nats.replicas)");
    }
    refusedReplicas(config.getName(), config.getReplicas(), () -> jsm.updateStream(config));
  }

  /** A JetStream call that creates or changes {@code stream}. */
  @FunctionalInterface
  private interface StreamChange {
    Object run() throws IOException, JetStreamApiException;
  }

  /**
   * Runs {@code change}; when the servers refuse it and more than one replica was asked for, says
   * which key to look at — the server's own text ("replicas > 1 not supported in non-clustered
   * mode", "insufficient resources") does not name it.
   */
  private static void refusedReplicas(String stream, int replicas, StreamChange change) throws IOException, JetStreamApiException {
    try {
      change.run();
    } catch (JetStreamApiException e) {
      if (replicas <= 1) {
        throw e;
      }
      throw new IllegalStateException("stream [" + stream + "] with nats.replicas=" + replicas + " refused by NATS: "
          + e.getErrorDescription() + " (error " + e.getApiErrorCode() + "); nats.replicas above 1 needs a NATS cluster "
          + "with JetStream on at least that many servers (a single nats-server holds 1)", e);
    }
  }
}
