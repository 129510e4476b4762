package io.chamberlain.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chamberlain.testkit.NatsTestServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;

/**
 * The refusals a real nats-server 2.9 gives when a limit is reached are recognised as storage limits
 * (so a write is retried, never dropped or dead-lettered for them), and other API errors are not.
 */
class StorageLimitExceptionTest {

  private static final byte[] KILOBYTE = new byte[1024];

  @Test
  void aStreamAtItsOwnSizeLimitRefusesWithStreamMaxBytes() throws Exception {
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      nats.jetStreamManagement().addStream(StreamConfiguration.builder().name("FULL").subjects("full.>")
          .storageType(StorageType.File).maxBytes(4 * 1024).discardPolicy(DiscardPolicy.New).build());
      StorageLimitException refused = assertThrows(StorageLimitException.class, () -> {
        for (int i = 0; i < 10; i++) {
          StorageLimitException.guard("full", () -> nats.jetStream().publish("full.x", KILOBYTE));
        }
      });
      assertEquals(StorageLimitException.STREAM_MAX_BYTES, refused.reason(), refused.getMessage());
      assertEquals("full", refused.store());
    }
  }

  @Test
  void aKeyValueBucketAtItsSizeLimitRefusesWithStreamMaxBytes() throws Exception {
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      nats.keyValueManagement().create(KeyValueConfiguration.builder().name("small").storageType(StorageType.File)
          .maxBucketSize(4 * 1024).build());
      KeyValue kv = nats.keyValue("small");
      StorageLimitException refused = assertThrows(StorageLimitException.class, () -> {
        for (int i = 0; i < 10; i++) {
          int key = i;
          StorageLimitException.guard("small", () -> kv.put("k" + key, KILOBYTE));
        }
      });
      assertEquals(StorageLimitException.STREAM_MAX_BYTES, refused.reason(), refused.getMessage());
    }
  }

  @Test
  void aServerWhoseFileStoreIsUsedUpRefusesWithServerStorageFull() throws Exception {
    try (NatsTestServer server = NatsTestServer.start("", "max_file_store: 64KB");
         Connection nats = Nats.connect(server.url())) {
      nats.jetStreamManagement().addStream(StreamConfiguration.builder().name("DISK").subjects("disk.>")
          .storageType(StorageType.File).build());
      StorageLimitException refused = assertThrows(StorageLimitException.class, () -> {
        for (int i = 0; i < 200; i++) {
          StorageLimitException.guard("disk", () -> nats.jetStream().publish("disk.x", KILOBYTE));
        }
      });
      assertEquals(StorageLimitException.SERVER_STORAGE_FULL, refused.reason(), refused.getMessage());
    }
  }

  @Test
  void otherApiErrorsAreNotStorageLimits() throws Exception {
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      JetStreamApiException missing = assertThrows(JetStreamApiException.class,
          () -> StorageLimitException.guard("none", () -> nats.jetStreamManagement().getStreamInfo("NO_SUCH_STREAM")));
      assertNull(StorageLimitException.reasonOf(missing));
    }
  }
}
