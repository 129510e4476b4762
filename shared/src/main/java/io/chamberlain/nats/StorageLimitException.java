package io.chamberlain.nats;

import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.util.Locale;

/**
 * JetStream refused a write because a storage limit is reached: the stream's or KV bucket's own
 * limit (with discard-new), the server's {@code max_file_store}/{@code max_memory_store} (a "full
 * disk"), or the account's. Nothing was stored. It is an {@link IOException} on purpose: like a
 * NATS outage it heals from outside (an operator frees space or raises the limit), so callers retry
 * it without counting it against the event, and never drop or dead-letter an event for it.
 *
 * <p>{@link #store()} names the stream or KV bucket written to (the {@code store} tag of the
 * {@code chamberlain_jetstream_refused_total} counter), {@link #reason()} which limit (its
 * {@code reason} tag). The codes are nats-server 2.9's, checked against a real server by
 * {@code StorageLimitExceptionTest}.
 */
public final class StorageLimitException extends IOException {

  /** JSStreamStoreFailedF: the stream's own limit with discard-new ("maximum bytes exceeded", …). */
  static final int STREAM_STORE_FAILED = 10077;
  /** JSInsufficientResourcesErr: the server's JetStream storage is used up (max_file_store / max_memory_store). */
  static final int INSUFFICIENT_RESOURCES = 10023;
  /** JSStorageResourcesExceededErr: no file storage left for this. */
  static final int STORAGE_RESOURCES_EXCEEDED = 10047;
  /** JSMemoryResourcesExceededErr: no memory storage left for this. */
  static final int MEMORY_RESOURCES_EXCEEDED = 10028;
  /** JSAccountResourcesExceededErr: the account's JetStream limits. */
  static final int ACCOUNT_RESOURCES_EXCEEDED = 10002;

  /** Reason tags. */
  public static final String STREAM_MAX_BYTES = "stream-max-bytes";
  public static final String STREAM_MAX_MESSAGES = "stream-max-messages";
  public static final String SERVER_STORAGE_FULL = "server-storage-full";
  public static final String ACCOUNT_LIMIT = "account-limit";

  private final String store;
  private final String reason;

  private StorageLimitException(String store, String reason, JetStreamApiException cause) {
    super(store + ": JetStream refused the write, storage limit reached (" + reason + "): "
        + cause.getErrorDescription() + " (error " + cause.getApiErrorCode() + ")", cause);
    this.store = store;
    this.reason = reason;
  }

  public String store() {
    return store;
  }

  public String reason() {
    return reason;
  }

  /** A write to {@code store} that may be refused for a storage limit. */
  @FunctionalInterface
  public interface Write<T> {
    T run() throws IOException, JetStreamApiException;
  }

  /**
   * Runs {@code write}; a refusal for a storage limit comes back as a {@link StorageLimitException}
   * naming {@code store}, any other failure unchanged.
   */
  public static <T> T guard(String store, Write<T> write) throws IOException, JetStreamApiException {
    try {
      return write.run();
    } catch (JetStreamApiException e) {
      String reason = reasonOf(e);
      if (reason == null) {
        throw e;
      }
      throw new StorageLimitException(store, reason, e);
    }
  }

  /** The limit {@code failure} (or a cause of it) reports, or {@code null} if it is not a storage limit. */
  public static String reasonOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StorageLimitException limit) {
        return limit.reason;
      }
      if (t instanceof JetStreamApiException api) {
        return reasonOf(api.getApiErrorCode(), api.getErrorDescription());
      }
    }
    return null;
  }

  static String reasonOf(int apiErrorCode, String description) {
    String text = description == null ? "" : description.toLowerCase(Locale.ROOT);
    return switch (apiErrorCode) {
      case STREAM_STORE_FAILED -> text.contains("maximum bytes") ? STREAM_MAX_BYTES
          : text.contains("maximum messages") ? STREAM_MAX_MESSAGES
          : text.contains("resource") || text.contains("storage") ? SERVER_STORAGE_FULL : null;
      case INSUFFICIENT_RESOURCES, STORAGE_RESOURCES_EXCEEDED, MEMORY_RESOURCES_EXCEEDED -> SERVER_STORAGE_FULL;
      case ACCOUNT_RESOURCES_EXCEEDED -> ACCOUNT_LIMIT;
      default -> null;
    };
  }
}
