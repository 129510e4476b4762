package io.chamberlain.nats;

import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
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
 */
public final class JetStreamSetup {

  private static final int STREAM_NOT_FOUND = 10059;
  /** Window in which a republished verdict or completion with the same Nats-Msg-Id is dropped. */
  public static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(10);

  private JetStreamSetup() {
  }

  /** Limits of the completions stream (from the gateway's config) and the lanes it is split into. */
  public record CompletionLimits(StorageType storage, Duration maxAge, long maxBytes, int lanes) {
    public static final CompletionLimits DEFAULT =
        new CompletionLimits(StorageType.File, Duration.ofDays(7), 1L << 30, 1);
  }

  /**
   * Creates or updates the completions stream. A change of the lane count changes the subjects it
   * captures and the consumers that read it; events still waiting in the old lanes would never be
   * read again, so the change is refused while any consumer has events pending or un-acked, and the
   * old lanes' consumers are deleted when it goes ahead.
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
    ensure(nats, StreamConfiguration.builder()
        .name(Subjects.COMPLETIONS_STREAM)
        .subjects(subject)
        .storageType(limits.storage())
        .maxAge(limits.maxAge())
        .maxBytes(limits.maxBytes())
        .duplicateWindow(DUPLICATE_WINDOW)
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

  /** Dead letters are kept a month for inspection and replay. */
  public static void ensureDeadLetters(Connection nats) throws IOException, JetStreamApiException {
    ensure(nats, StreamConfiguration.builder()
        .name(Subjects.DEAD_LETTER_STREAM)
        .subjects(Subjects.DEAD_LETTER_STREAM_SUBJECTS)
        .storageType(StorageType.File)
        .maxAge(Duration.ofDays(30))
        .build());
  }

  /** Verdicts are kept for audit and replay, deduplicated by context id ({@code Nats-Msg-Id}). */
  public static void ensureVerdicts(Connection nats) throws IOException, JetStreamApiException {
    ensure(nats, StreamConfiguration.builder()
        .name(Subjects.VERDICT_STREAM)
        .subjects(Subjects.VERDICT_ALL)
        .storageType(StorageType.File)
        .maxAge(Duration.ofDays(30))
        .duplicateWindow(DUPLICATE_WINDOW)
        .build());
  }

  /**
   * The leader's history: the newest {@link Subjects#HISTORY_LIMIT} entries, at most 30 days. The
   * leader publishes to it without waiting for acknowledgements — an entry lost to a NATS outage
   * costs the operator a line, never a chamber.
   */
  public static void ensureHistory(Connection nats) throws IOException, JetStreamApiException {
    ensure(nats, StreamConfiguration.builder()
        .name(Subjects.HISTORY_STREAM)
        .subjects(Subjects.HISTORY)
        .storageType(StorageType.File)
        .maxMessages(Subjects.HISTORY_LIMIT)
        .maxAge(Duration.ofDays(30))
        .build());
  }

  /**
   * Creates the trace object store if missing. Traces are large (4 bytes per data point), so they
   * expire after {@code ttl}: it must outlast every retry and any outage the completions may wait
   * through, or late events are dead-lettered for a missing trace.
   */
  public static void ensureTraces(Connection nats, Duration ttl) throws IOException, JetStreamApiException {
    ensureTraces(nats, Subjects.TRACE_BUCKET, ttl);
  }

  /** {@link #ensureTraces(Connection, Duration)} for another bucket of the same kind (the benchmark's). */
  public static void ensureTraces(Connection nats, String bucket, Duration ttl) throws IOException, JetStreamApiException {
    try {
      nats.objectStoreManagement().getStatus(bucket);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
      nats.objectStoreManagement().create(ObjectStoreConfiguration.builder()
          .name(bucket).storageType(StorageType.File).ttl(ttl).build());
    }
  }

  /** Creates the KV bucket if it does not exist yet (an existing bucket is left as it is). */
  public static void ensureKeyValue(Connection nats, KeyValueConfiguration config) throws IOException, JetStreamApiException {
    try {
      nats.keyValueManagement().getStatus(config.getBucketName());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
      nats.keyValueManagement().create(config);
    }
  }

  private static void ensure(Connection nats, StreamConfiguration config)
      throws IOException, JetStreamApiException {
    JetStreamManagement jsm = nats.jetStreamManagement();
    try {
      jsm.getStreamInfo(config.getName());
      jsm.updateStream(config);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
      jsm.addStream(config);
    }
  }
}
