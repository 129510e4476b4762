package io.chamberlain.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;

/**
 * Reads a KV entry where its bucket is read from now. jnats learns once per JVM and stream whether
 * a bucket takes direct gets (any replica answers) or reads from its stream leader, and keeps it;
 * a node that changed {@code nats.replicas} since changed that too ({@link JetStreamSetup#ensureKeyValue}),
 * and on a node that has not restarted yet a direct get then finds no server answering. Such a
 * read asks for the bucket's settings once — which is how jnats learns them — and reads again.
 */
public final class KeyValueReads {

  private KeyValueReads() {
  }

  /** The entry under {@code key}, or {@code null}; as {@link KeyValue#get(String)}. */
  public static KeyValueEntry latest(KeyValue kv, String key) throws IOException, JetStreamApiException {
    try {
      return kv.get(key);
    } catch (IOException unanswered) {
      try {
        kv.getStatus();
      } catch (IOException | JetStreamApiException stillUnanswered) {
        unanswered.addSuppressed(stillUnanswered);
        throw unanswered;
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        unanswered.addSuppressed(interrupted);
        throw unanswered;
      }
      return kv.get(key);
    }
  }
}
