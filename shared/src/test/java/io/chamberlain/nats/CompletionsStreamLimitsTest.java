package io.chamberlain.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The completions stream at its size limit on a real nats-server: discard-new, also on a stream that
 * an older gateway created with discard-old (changed in place, its events kept) — the publisher is
 * refused for {@code stream-max-bytes} and no stored event is deleted to make room (events of one
 * size; with mixed sizes nats-server 2.9 still deletes some, hence the room keeper's gate, kept here).
 */
class CompletionsStreamLimitsTest {

  private static final long MAX_BYTES = 4 * 1024;
  private static final byte[] EVENT = "{\"toolId\":\"tool1\",\"chamberId\":\"1\",\"contextId\":\"ctx\"}"
      .getBytes(StandardCharsets.UTF_8);

  @Test
  void aStreamCreatedWithDiscardOldBecomesDiscardNewAndAFullOneRefusesThePublisher() throws Exception {
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      JetStreamManagement jsm = nats.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name(Subjects.COMPLETIONS_STREAM)
          .subjects(Subjects.completionsStreamSubject(1)).storageType(StorageType.Memory).maxBytes(MAX_BYTES)
          .discardPolicy(DiscardPolicy.Old).build());
      nats.jetStream().publish("dc.tool1.1.completed", EVENT);

      JetStreamSetup.ensureCompletions(nats,
          new JetStreamSetup.CompletionLimits(StorageType.Memory, Duration.ofHours(1), MAX_BYTES, 1));
      assertEquals(DiscardPolicy.New, jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getConfiguration().getDiscardPolicy());
      assertEquals(1, jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getStreamState().getMsgCount(), "kept its event");

      StorageLimitException refused = assertThrows(StorageLimitException.class, () -> {
        for (int i = 0; i < 1_000; i++) {
          StorageLimitException.guard(Subjects.COMPLETIONS_STREAM,
              () -> nats.jetStream().publish("dc.tool1.1.completed", EVENT));
        }
      });
      assertEquals(StorageLimitException.STREAM_MAX_BYTES, refused.reason(), refused.getMessage());
      StreamState full = jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getStreamState();
      assertEquals(1, full.getFirstSequence(), "nothing deleted to make room");
      assertEquals(full.getLastSequence(), full.getMsgCount());
    }
  }

  @Test
  void aGatewayStartingKeepsTheRoomKeepersGate() throws Exception {
    JetStreamSetup.CompletionLimits limits =
        new JetStreamSetup.CompletionLimits(StorageType.Memory, Duration.ofHours(1), MAX_BYTES, 1);
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      JetStreamManagement jsm = nats.jetStreamManagement();
      JetStreamSetup.ensureCompletions(nats, limits);
      assertEquals(-1, jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getConfiguration().getMaxMsgs(), "open");
      StreamConfiguration open = jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getConfiguration();
      jsm.updateStream(StreamConfiguration.builder(open).maxMessages(7).build());

      JetStreamSetup.ensureCompletions(nats, limits);
      assertEquals(7, jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM).getConfiguration().getMaxMsgs(), "still closed");
    }
  }
}
