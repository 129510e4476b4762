package io.chamberlain.gateway;

import io.chamberlain.wire.GatewayStats;
import io.chamberlain.wire.HistoryEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The WebSocket {@code /ws}: clients subscribe to topics and get {@code {"topic","at","data"}}
 * messages. Periodic topics ({@link #PERIODIC}: cluster, summary, lag — once a second) are
 * <em>conflated</em> for a slow client: while its write queue is full only the newest of each is
 * kept. Event topics (history, breaches) are dropped for it instead, and it is told how many with
 * a {@code gap} message once it catches up (it reloads {@code /api/history}). A client whose queue
 * stays full for {@code stallLimitMillis} is closed (1008). So a client that never reads costs at
 * most its write queue ({@link #WRITE_QUEUE_BYTES}) plus one message per periodic topic, and at
 * most {@code maxClients} are served ({@code http.ws.maxClients}). A client may send messages of at
 * most {@link #MAX_MESSAGE_BYTES} (the server closes it with 1009 otherwise) and at most
 * {@link #MAX_INBOUND_PER_SECOND} a second — a subscription changes rarely — else it is closed with
 * 1008 (policy violation), so a flooding client costs one parse per allowed message. Runs on one
 * Vert.x context (the status API's); entries from other threads hop onto it.
 *
 * <p>Client → server: {@code {"subscribe":[topics]}}, {@code {"unsubscribe":[topics]}}. Server →
 * client also: {@code subscribed} (the topics now), {@code error} (what was wrong with a message),
 * {@code gap}.
 */
final class LiveFeed {

  static final Set<String> PERIODIC = Set.of("cluster", "summary", "lag");
  static final Set<String> EVENTS = Set.of("history", "breaches");
  /** Client messages a second beyond which a client is closed (the dashboard sends one per connection). */
  static final int MAX_INBOUND_PER_SECOND = 20;
  static final int WRITE_QUEUE_BYTES = 256 * 1024;
  static final int MAX_MESSAGE_BYTES = 16 * 1024;

  private final Vertx vertx;
  private final long stallLimitMillis;
  private final int maxClients;
  private final Map<ServerWebSocket, Client> clients = new LinkedHashMap<>();
  private final Counter conflated;
  private final Counter dropped;
  private final Counter closedSlow;
  private final Counter closedFlood;
  private Context context;

  /** One connected client: its topics, and what waits for its write queue to drain. */
  private static final class Client {
    final Set<String> topics = new HashSet<>();
    final Map<String, String> newestPeriodic = new LinkedHashMap<>();
    long droppedEvents;
    long fullSince = -1;
    long inboundSecond;
    int inboundThisSecond;
  }

  LiveFeed(Vertx vertx, MeterRegistry registry, long stallLimitMillis, int maxClients) {
    this.vertx = vertx;
    this.stallLimitMillis = stallLimitMillis;
    this.maxClients = maxClients;
    this.conflated = Counter.builder("chamberlain.ws.conflated")
        .description("periodic WebSocket messages replaced by a newer one for a slow client").register(registry);
    this.dropped = Counter.builder("chamberlain.ws.dropped")
        .description("WebSocket event messages dropped for a slow client (it is told with a gap message)").register(registry);
    this.closedSlow = Counter.builder("chamberlain.ws.closed.slow")
        .description("WebSocket clients closed for not reading").register(registry);
    this.closedFlood = Counter.builder("chamberlain.ws.closed.flood")
        .description("WebSocket clients closed for sending more than " + MAX_INBOUND_PER_SECOND + " messages a second")
        .register(registry);
    Gauge.builder("chamberlain.ws.clients", clients, Map::size).description("connected WebSocket clients").register(registry);
  }

  /** Binds the feed to the caller's context (call from the verticle that serves {@code /ws}). */
  void start() {
    context = vertx.getOrCreateContext();
    vertx.setPeriodic(1_000, id -> closeStalled(System.currentTimeMillis()));
  }

  /** A new client (on the feed's context). */
  void accept(ServerWebSocket ws) {
    if (full()) {
      ws.close((short) 1013, "too many live clients (" + maxClients + "); try again later");
      return;
    }
    Client client = new Client();
    clients.put(ws, client);
    ws.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    ws.drainHandler(v -> flush(ws, client));
    ws.textMessageHandler(text -> onClientMessage(ws, client, text));
    ws.binaryMessageHandler(binary -> onClientMessage(ws, client, null));
    ws.closeHandler(v -> clients.remove(ws));
    ws.exceptionHandler(failure -> clients.remove(ws));
  }

  /** Whether a new client would be refused (the status API answers 503 before upgrading). */
  boolean full() {
    return clients.size() >= maxClients;
  }

  int maxClients() {
    return maxClients;
  }

  int clientCount() {
    return clients.size();
  }

  /** Sends {@code data} under {@code topic} to its subscribers; callable from any thread. */
  void publish(String topic, JsonObject data) {
    if (Vertx.currentContext() != context) {
      context.runOnContext(v -> publish(topic, data));
      return;
    }
    if (clients.values().stream().noneMatch(client -> client.topics.contains(topic))) {
      return;
    }
    String text = new JsonObject().put("topic", topic).put("at", System.currentTimeMillis()).put("data", data).encode();
    new ArrayList<>(clients.entrySet()).forEach(entry -> {
      if (entry.getValue().topics.contains(topic)) {
        send(entry.getKey(), entry.getValue(), topic, text);
      }
    });
  }

  /** Whether any client wants {@code topic} (the feed skips work nobody would see). */
  boolean wanted(String topic) {
    return clients.values().stream().anyMatch(client -> client.topics.contains(topic));
  }

  void history(HistoryEntry entry) {
    publish("history", entry.toJson());
  }

  void breaches(List<GatewayStats.Breach> breaches) {
    breaches.forEach(b -> publish("breaches", new JsonObject().put("chamber", b.chamber()).put("contextId", b.contextId())
        .put("latencyMillis", b.latencyMillis()).put("servedBy", b.servedBy())));
  }

  private void send(ServerWebSocket ws, Client client, String topic, String text) {
    if (!ws.writeQueueFull()) {
      ws.writeTextMessage(text);
      return;
    }
    if (client.fullSince < 0) {
      client.fullSince = System.currentTimeMillis();
    }
    if (PERIODIC.contains(topic)) {
      if (client.newestPeriodic.put(topic, text) != null) {
        conflated.increment();
      }
    } else {
      client.droppedEvents++;
      dropped.increment();
    }
  }

  private void flush(ServerWebSocket ws, Client client) {
    client.fullSince = -1;
    if (client.droppedEvents > 0) {
      ws.writeTextMessage(new JsonObject().put("topic", "gap").put("at", System.currentTimeMillis())
          .put("data", new JsonObject().put("dropped", client.droppedEvents)).encode());
      client.droppedEvents = 0;
    }
    client.newestPeriodic.values().forEach(ws::writeTextMessage);
    client.newestPeriodic.clear();
  }

  private void closeStalled(long now) {
    new ArrayList<>(clients.entrySet()).forEach(entry -> {
      Client client = entry.getValue();
      if (client.fullSince >= 0 && now - client.fullSince > stallLimitMillis) {
        clients.remove(entry.getKey());
        closedSlow.increment();
        entry.getKey().close((short) 1008, "too slow: not reading for " + (now - client.fullSince) + " ms");
      }
    });
  }

  private void onClientMessage(ServerWebSocket ws, Client client, String text) {
    if (flooding(client, System.currentTimeMillis() / 1_000)) {
      if (clients.remove(ws) != null) {
        closedFlood.increment();
        ws.close((short) 1008, "more than " + MAX_INBOUND_PER_SECOND + " messages a second");
      }
      return;
    }
    if (text == null) {
      error(ws, "binary messages are not understood; send JSON text");
      return;
    }
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException e) {
      error(ws, "not a JSON object: " + e.getMessage());
      return;
    }
    for (String verb : List.of("subscribe", "unsubscribe")) {
      Object topics = message.getValue(verb);
      if (topics == null) {
        continue;
      }
      if (!(topics instanceof JsonArray list) || list.stream().anyMatch(t -> !(t instanceof String))) {
        error(ws, verb + " must be an array of topic names");
        return;
      }
      for (Object topic : list) {
        if (!PERIODIC.contains(topic) && !EVENTS.contains(topic)) {
          error(ws, "unknown topic '" + topic + "'; topics: " + new JsonArray(allTopics()).encode());
          return;
        }
      }
      list.forEach(topic -> {
        if (verb.equals("subscribe")) {
          client.topics.add((String) topic);
        } else {
          client.topics.remove(topic);
        }
      });
    }
    if (!message.containsKey("subscribe") && !message.containsKey("unsubscribe")) {
      error(ws, "expected {\"subscribe\":[topics]} or {\"unsubscribe\":[topics]}");
      return;
    }
    send(ws, client, "subscribed", new JsonObject().put("topic", "subscribed").put("at", System.currentTimeMillis())
        .put("data", new JsonObject().put("topics", new JsonArray(new ArrayList<Object>(client.topics)))).encode());
  }

  /** Counts a client message in its second; true once the client is over the limit. */
  private static boolean flooding(Client client, long second) {
    if (client.inboundSecond != second) {
      client.inboundSecond = second;
      client.inboundThisSecond = 0;
    }
    return ++client.inboundThisSecond > MAX_INBOUND_PER_SECOND;
  }

  private void error(ServerWebSocket ws, String detail) {
    Client client = clients.get(ws);
    if (client != null) {
      send(ws, client, "error", new JsonObject().put("topic", "error").put("at", System.currentTimeMillis())
          .put("data", new JsonObject().put("detail", detail)).encode());
    }
  }

  private static List<Object> allTopics() {
    List<Object> topics = new ArrayList<>(PERIODIC);
    topics.addAll(EVENTS);
    topics.sort(null);
    return topics;
  }
}
