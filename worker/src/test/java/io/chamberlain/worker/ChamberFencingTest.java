package io.chamberlain.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.testkit.TestTimeouts;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.CompletionCodec;
import io.chamberlain.wire.PublishedVerdict;
import io.chamberlain.wire.Subjects;
import io.chamberlain.worker.defense.DefenseSelector;
import io.chamberlain.worker.runtime.ChamberCache;
import io.chamberlain.worker.runtime.ChamberStateStore;
import io.chamberlain.worker.runtime.CostMeter;
import io.chamberlain.worker.runtime.WorkerMetrics;
import io.chamberlain.worker.runtime.DefenderServices;
import io.chamberlain.worker.runtime.DefenseWork;
import io.chamberlain.worker.runtime.TraceSource;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ownership fence of {@link ChamberVerticle}, against a real nats-server: a defender that stops
 * in the middle of an event (its defense process held at a gate) while the chamber is judged by
 * another defender finds, when it goes on, that the chamber's state moved on — and publishes
 * nothing. A raw subscription counts every verdict publish (the stream alone would hide a
 * duplicate by its {@code Nats-Msg-Id} within its window).
 */
class ChamberFencingTest {

  private static final ChamberKey CHAMBER = ChamberKey.parse("tool007:2");
  private static final Duration FENCE_AFTER = Duration.ofMillis(200);

  private NatsTestServer server;
  private Connection nats;
  private Vertx vertx;

  @BeforeEach
  void start() throws Exception {
    server = NatsTestServer.start();
    nats = Nats.connect(server.url());
    JetStreamSetup.ensureVerdicts(nats);
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    nats.close();
    server.close();
  }

  private DefenderServices services(String defender) throws Exception {
    ChamberCache cache = new ChamberCache();
    JsonArray rules = new JsonArray().add(new JsonObject().put("match", "*:*").put("process", "gated")
        .put("options", new JsonObject().put("gate", defender)));
    return new DefenderServices(defender, nats.jetStream(), ChamberStateStore.open(nats),
        new TraceSource(nats, new TraceGenerator(new TraceGenerator.Settings(1, 0, 1))), DefenseSelector.fromConfig(rules),
        Map.of(CHAMBER, new ChamberProfile(CHAMBER, 3, 2, 10)), cache, new CostMeter(), () -> true,
        WorkerMetrics.unregistered(cache), new DefenseWork(2));
  }

  /** Deploys the chamber on {@code defender}, reachable at a local address for the test's requests. */
  private String deploy(String defender) throws Exception {
    return deployed(defender).address();
  }

  private record Deployed(ChamberVerticle verticle, String address) {
  }

  private Deployed deployed(String defender) throws Exception {
    ChamberVerticle verticle = new ChamberVerticle(CHAMBER, services(defender), Duration.ofSeconds(10), FENCE_AFTER);
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    String address = "test." + defender;
    vertx.eventBus().<JsonObject>localConsumer(address, verticle::accept);
    return new Deployed(verticle, address);
  }

  private Future<JsonObject> send(String address, String defender, String contextId) {
    CompletionEvent event = new CompletionEvent(CHAMBER, contextId, System.currentTimeMillis(), null);
    return vertx.eventBus().<JsonObject>request(address, CompletionCodec.toJson(event),
        new DeliveryOptions().addHeader(Addresses.HEADER_OWNER, defender).setSendTimeout(60_000))
        .map(reply -> reply.body());
  }

  @Test
  void aDefenderStoppedMidEventWhileTheChamberWasJudgedElsewherePublishesNothing() throws Exception {
    AtomicInteger publishes = new AtomicInteger();
    Dispatcher tap = nats.createDispatcher(message -> publishes.incrementAndGet());
    tap.subscribe(Subjects.verdict(CHAMBER));
    String frozen = deploy("frozen");
    String successor = deploy("successor");
    GatedDefenseProvider.close("frozen");

    Future<JsonObject> stale = send(frozen, "frozen", "ctx-1"); // held at the gate: "frozen" mid-event
    // The freeze itself: "frozen" stays stuck mid-event for longer than the fence allowance.
    long frozenSince = System.nanoTime();
    Awaitility.await("frozen past the fence allowance").pollInterval(Duration.ofMillis(20))
        .atMost(TestTimeouts.seconds(5))
        .until(() -> System.nanoTime() - frozenSince >= FENCE_AFTER.toNanos() * 2);
    assertEquals(false, stale.isComplete(), "the frozen owner is still held at the gate");
    // The gateway gave up on the frozen owner and sent the event to the successor, then the next.
    send(successor, "successor", "ctx-1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    send(successor, "successor", "ctx-2").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    GatedDefenseProvider.open("frozen");

    JsonObject late = stale.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(Boolean.TRUE, late.getBoolean("duplicate"), "waking up it finds ctx-1 judged already: " + late);
    nats.flush(Duration.ofSeconds(5)); // the tap shares the connection: anything published is delivered by now
    Awaitility.await().pollDelay(Duration.ofMillis(300)).atMost(TestTimeouts.seconds(5)).untilAsserted(() ->
        assertEquals(2, publishes.get(), "verdict publishes: one per context, none from the woken defender"));
    assertEquals(2, nats.jetStreamManagement().getStreamInfo(Subjects.VERDICT_STREAM).getStreamState().getMsgCount());
  }

  /**
   * The soak's case: defender "back" judged the chamber, lost it to "meanwhile" in an epoch it never
   * saw (cut off from the cluster) and got it back in the next — still deployed, its state in memory
   * one verdict behind. Told to reactivate (its defender saw the gap), it judges the next event from
   * the stored state: one publish, counting every context judged so far.
   */
  @Test
  void aChamberToldToReactivateJudgesItsNextEventFromTheStoredState() throws Exception {
    List<PublishedVerdict> published = new CopyOnWriteArrayList<>();
    Dispatcher tap = nats.createDispatcher(message -> published.add(
        PublishedVerdict.fromJson(new JsonObject(new String(message.getData(), StandardCharsets.UTF_8)))));
    tap.subscribe(Subjects.verdict(CHAMBER));
    Deployed back = deployed("back");
    String meanwhile = deploy("meanwhile");
    send(back.address(), "back", "ctx-1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    send(meanwhile, "meanwhile", "ctx-2").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    back.verticle().reactivate();
    send(back.address(), "back", "ctx-3").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    nats.flush(Duration.ofSeconds(5));
    Awaitility.await().pollDelay(Duration.ofMillis(300)).atMost(TestTimeouts.seconds(5)).untilAsserted(() ->
        assertEquals(3, published.size(), "one publish per context: " + published));
    assertEquals(List.of(1L, 2L, 3L), published.stream().map(PublishedVerdict::contextsJudged).toList(),
        "each verdict judged with the whole history before it");
  }
}
