package io.chamberlain.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Ingestion lanes on a real nats-server: the shipped mapping, and a lane count that changes. */
class CompletionLanesTest {

  private static final int LANES = 4;
  private static final JetStreamSetup.CompletionLimits FOUR_LANES =
      new JetStreamSetup.CompletionLimits(StorageType.Memory, Duration.ofHours(1), 1 << 20, LANES);
  private static final JetStreamSetup.CompletionLimits ONE_LANE =
      new JetStreamSetup.CompletionLimits(StorageType.Memory, Duration.ofHours(1), 1 << 20, 1);

  @Test
  void theServerMapsEachChamberToOneLaneAndPublishersKeepThePlainSubject() throws Exception {
    try (NatsTestServer server = NatsTestServer.start(LaneMappingConfig.render(LANES));
         Connection nats = Nats.connect(server.url())) {
      JetStreamSetup.ensureCompletions(nats, FOUR_LANES);
      for (int round = 0; round < 2; round++) {
        for (int chamber = 0; chamber < 40; chamber++) {
          nats.jetStream().publish("dc.tool" + chamber % 7 + "." + chamber + ".completed", "{}".getBytes(StandardCharsets.UTF_8));
        }
      }
      Map<String, String> laneOf = new HashMap<>();
      Set<String> lanesUsed = new TreeSet<>();
      for (long seq = 1; seq <= 80; seq++) {
        MessageInfo stored = nats.jetStreamManagement().getMessage(Subjects.COMPLETIONS_STREAM, seq);
        String[] tokens = stored.getSubject().split("\\.");
        assertEquals(5, tokens.length, stored.getSubject());
        int lane = Integer.parseInt(tokens[4]);
        assertTrue(lane >= 0 && lane < LANES, stored.getSubject());
        String chamber = tokens[1] + "." + tokens[2];
        String before = laneOf.putIfAbsent(chamber, tokens[4]);
        assertTrue(before == null || before.equals(tokens[4]), chamber + " in lanes " + before + " and " + tokens[4]);
        lanesUsed.add(tokens[4]);
      }
      assertEquals(LANES, lanesUsed.size(), "40 chambers spread over every lane: " + lanesUsed);
    }
  }

  @Test
  void theLaneCountChangesOnlyOnceTheOldLanesAreEmpty() throws Exception {
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      JetStreamSetup.ensureCompletions(nats, ONE_LANE);
      JetStreamSubscription pull = nats.jetStream().subscribe(Subjects.COMPLETED_ALL, PullSubscribeOptions.builder()
          .configuration(ConsumerConfiguration.builder().durable(Subjects.INGEST_CONSUMER).build()).build());
      nats.jetStream().publish("dc.tool1.1.completed", "{}".getBytes(StandardCharsets.UTF_8));

      IllegalStateException refused = assertThrows(IllegalStateException.class,
          () -> JetStreamSetup.ensureCompletions(nats, FOUR_LANES));
      assertTrue(refused.getMessage().contains("ingest.lanes changed to 4") && refused.getMessage().contains("1 event(s) wait"),
          refused.getMessage());

      List<Message> waiting = pull.fetch(1, Duration.ofSeconds(5));
      assertEquals(1, waiting.size());
      waiting.get(0).ackSync(Duration.ofSeconds(5));
      pull.unsubscribe();
      JetStreamSetup.ensureCompletions(nats, FOUR_LANES);
      assertEquals(List.of(Subjects.COMPLETED_IN_LANES),
          nats.jetStreamManagement().getStreamInfo(Subjects.COMPLETIONS_STREAM).getConfiguration().getSubjects());
      assertTrue(nats.jetStreamManagement().getConsumerNames(Subjects.COMPLETIONS_STREAM).isEmpty(),
          "the old lane's consumer is gone");
      assertNotNull(nats.jetStreamManagement().getStreamInfo(Subjects.COMPLETIONS_STREAM));
    }
  }
}
