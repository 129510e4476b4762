package io.chamberlain.gateway;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.nats.LaneMappingConfig;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.Subjects;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Lag read from a real nats-server: a lane nobody consumes stops; consumed and acknowledged, it is OK. */
class LaneLagVerticleTest {

  @Test
  void aLaneWithEventsAndNoConsumerStopsAndIsOkOnceConsumed() throws Exception {
    Vertx vertx = Vertx.vertx();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (NatsTestServer server = NatsTestServer.start(LaneMappingConfig.render(2));
         Connection nats = Nats.connect(server.url())) {
      JetStreamSetup.ensureCompletions(nats,
          new JetStreamSetup.CompletionLimits(StorageType.Memory, Duration.ofHours(1), 1 << 20, 2));
      for (int chamber = 0; chamber < 20; chamber++) {
        nats.jetStream().publish("dc.tool1." + chamber + ".completed", "{}".getBytes(StandardCharsets.UTF_8));
      }
      LaneLagVerticle lag = new LaneLagVerticle(nats, 2, 5_000, registry);
      vertx.deployVerticle(lag).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      await("both lanes read").atMost(seconds(20)).until(() -> lag.view().getJsonArray("lanes").size() == 2);
      JsonObject view = lag.view();
      assertEquals("STOP", view.getString("verdict"), view.encodePrettily());
      assertEquals(20, view.getLong("pending"), view.encodePrettily());
      JsonObject lane0 = lane(view, 0);
      assertTrue(lane0.getString("reason").contains("no consumer"), lane0.encode());
      assertTrue(registry.scrape().contains("chamberlain_lane_verdict{lane=\"0\"} 3.0"), "exported as a gauge");

      JetStreamSubscription pull = nats.jetStream().subscribe(Subjects.laneFilter(0, 2), PullSubscribeOptions.builder()
          .configuration(ConsumerConfiguration.builder().durable(Subjects.laneConsumer(0, 2)).build()).build());
      for (Message message : pull.fetch(100, Duration.ofSeconds(2))) {
        message.ackSync(Duration.ofSeconds(5));
      }
      await("lane 0 consumed").atMost(seconds(20)).until(() -> lane(lag.view(), 0).getLong("pending") == 0);
      assertEquals("OK", lane(lag.view(), 0).getString("verdict"), lag.view().encodePrettily());
      assertEquals("STOP", lane(lag.view(), 1).getString("verdict"), "lane 1 still has no consumer");
    } finally {
      vertx.close();
      registry.close();
    }
  }

  private static JsonObject lane(JsonObject view, int lane) {
    JsonArray lanes = view.getJsonArray("lanes");
    return lanes.getJsonObject(lane);
  }
}
