package io.chamberlain.gateway;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket feed on a real Vert.x HTTP server with real clients: topics and bad client
 * messages, and a client that never reads — it costs bounded memory (its messages are conflated or
 * dropped, not queued) while a reading client beside it gets everything, and it is closed once it
 * has not read for the stall limit.
 */
class LiveFeedTest {

  private static final long STALL_LIMIT_MILLIS = 2_000;
  private static final int MAX_CLIENTS = 8;
  private Vertx vertx;
  private SimpleMeterRegistry registry;
  private LiveFeed feed;
  private int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    registry = new SimpleMeterRegistry();
    feed = new LiveFeed(vertx, registry, STALL_LIMIT_MILLIS, MAX_CLIENTS);
    AtomicReference<HttpServer> server = new AtomicReference<>();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        feed.start();
        server.set(vertx.createHttpServer().webSocketHandler(feed::accept));
        return server.get().listen(0, "127.0.0.1");
      }
    }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    port = server.get().actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aClientGetsOnlyItsTopicsAndIsToldWhatWasWrongWithItsMessages() throws Exception {
    Reader reader = new Reader();
    WebSocket ws = connect(reader);
    ws.sendText("{\"subscribe\":[\"history\"]}", true);
    await("subscribed").atMost(seconds(10)).until(() -> reader.topics().contains("subscribed"));
    feed.publish("summary", new JsonObject().put("n", 1));
    feed.publish("history", new JsonObject().put("n", 2));
    await("the history message").atMost(seconds(10)).until(() -> reader.topics().contains("history"));
    assertTrue(!reader.topics().contains("summary"), "not subscribed to summary: " + reader.topics());

    for (String bad : List.of("not json", "{\"subscribe\":\"history\"}", "{\"subscribe\":[\"weather\"]}", "{\"hello\":1}")) {
      int errorsBefore = reader.count("error");
      ws.sendText(bad, true);
      await("an error for " + bad).atMost(seconds(10)).until(() -> reader.count("error") == errorsBefore + 1);
    }
    assertTrue(reader.messages.stream().anyMatch(m -> m.contains("unknown topic 'weather'")), reader.messages.toString());
    ws.sendText("{\"unsubscribe\":[\"history\"],\"subscribe\":[\"summary\"]}", true);
    await("resubscribed").atMost(seconds(10)).until(() -> reader.count("subscribed") == 2);
    feed.publish("summary", new JsonObject().put("n", 3));
    await("the summary").atMost(seconds(10)).until(() -> reader.topics().contains("summary"));
  }

  @Test
  void aClientThatNeverReadsCostsBoundedMemoryAndIsClosedWhileAReaderGetsEverything() throws Exception {
    Reader reader = new Reader();
    WebSocket ws = connect(reader);
    ws.sendText("{\"subscribe\":[\"history\",\"summary\"]}", true);
    await("the reader subscribed").atMost(seconds(10)).until(() -> reader.topics().contains("subscribed"));
    try (Socket neverReads = new Socket("127.0.0.1", port)) {
      neverReads.setReceiveBufferSize(4096);
      handshakeAndSubscribe(neverReads, "{\"subscribe\":[\"history\",\"summary\"]}");
      await("both clients subscribed").atMost(seconds(10)).until(() -> feed.clientCount() == 2);
      long memoryBefore = usedMemory();

      String payload = "x".repeat(20_000);
      int batches = 100;
      int perBatch = 50;
      for (int batch = 0; batch < batches; batch++) {
        for (int i = 0; i < perBatch; i++) {
          feed.publish("history", new JsonObject().put("n", batch * perBatch + i).put("payload", payload));
        }
        feed.publish("summary", new JsonObject().put("batch", batch));
        int expected = (batch + 1) * perBatch;
        await("the reader keeps up").atMost(seconds(30)).until(() -> reader.count("history") >= expected);
      }
      long memoryAfter = usedMemory();

      long grown = memoryAfter - memoryBefore;
      assertTrue(grown < 48L << 20, "100 MB sent past a client that never reads grew heap + direct memory by "
          + (grown >> 20) + " MiB");
      assertEquals(batches * perBatch, reader.count("history"), "the reading client got every event");
      assertEquals(0, reader.count("gap"), "and was never told of a gap");
      assertTrue(registry.get("chamberlain.ws.dropped").counter().count() > 0, "the stalled client's events were dropped");
      assertTrue(registry.get("chamberlain.ws.conflated").counter().count() > 0, "its summaries were conflated");
      await("the stalled client is closed").atMost(seconds(30)).until(() -> feed.clientCount() == 1);
      assertEquals(1.0, registry.get("chamberlain.ws.closed.slow").counter().count());
    }
  }

  @Test
  void aClientFloodingTheFeedIsClosedWithPolicyViolationWhileAReaderKeepsGettingUpdates() throws Exception {
    Reader reader = new Reader();
    WebSocket ws = connect(reader);
    ws.sendText("{\"subscribe\":[\"summary\"]}", true);
    await("the reader subscribed").atMost(seconds(10)).until(() -> reader.topics().contains("subscribed"));
    java.util.concurrent.CompletableFuture<Integer> closeCode = new java.util.concurrent.CompletableFuture<>();
    WebSocket flooder = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port
        + "/ws"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    await("both connected").atMost(seconds(10)).until(() -> feed.clientCount() == 2);
    int sent = 0;
    try {
      // Ten times the allowed messages a second, as fast as the socket takes them.
      for (; sent < 10 * LiveFeed.MAX_INBOUND_PER_SECOND && !closeCode.isDone(); sent++) {
        flooder.sendText("{\"subscribe\":[\"summary\"]}", true).get(10, TimeUnit.SECONDS);
      }
    } catch (java.util.concurrent.ExecutionException closedWhileSending) {
      // the server closed it mid-flood
    }
    assertEquals(1008, closeCode.get(seconds(30).toMillis(), TimeUnit.MILLISECONDS), "closed as a policy violation");
    await("the flooder is gone").atMost(seconds(10)).until(() -> feed.clientCount() == 1);
    assertEquals(1.0, registry.get("chamberlain.ws.closed.flood").counter().count());
    feed.publish("summary", new JsonObject().put("n", 1));
    await("the reader still gets updates").atMost(seconds(10)).until(() -> reader.topics().contains("summary"));
  }

  @Test
  void aClientBeyondTheCapIsRefused() throws Exception {
    List<WebSocket> clients = new java.util.ArrayList<>();
    for (int i = 0; i < MAX_CLIENTS; i++) {
      clients.add(connect(new Reader()));
    }
    await("all connected").atMost(seconds(10)).until(() -> feed.clientCount() == MAX_CLIENTS);
    java.util.concurrent.CompletableFuture<Integer> closeCode = new java.util.concurrent.CompletableFuture<>();
    HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"),
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    assertEquals(1013, closeCode.get(seconds(10).toMillis(), TimeUnit.MILLISECONDS), "try again later");
    assertEquals(MAX_CLIENTS, feed.clientCount());
    clients.forEach(WebSocket::abort);
  }

  /** Heap after a collection plus the JVM's direct buffers (where Netty keeps outbound bytes). */
  private static long usedMemory() {
    System.gc();
    long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    return heap + direct;
  }

  /** A raw client: the opening handshake, one masked text frame, then it never reads again. */
  private static void handshakeAndSubscribe(Socket socket, String subscribe) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder response = new StringBuilder();
    while (!response.toString().endsWith("\r\n\r\n") && response.length() < 4096) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      response.append((char) b);
    }
    assertTrue(response.toString().startsWith("HTTP/1.1 101"), response.toString());
    byte[] text = subscribe.getBytes(StandardCharsets.UTF_8);
    byte[] mask = {1, 2, 3, 4};
    byte[] frame = new byte[2 + 4 + text.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | text.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < text.length; i++) {
      frame[6 + i] = (byte) (text[i] ^ mask[i % 4]);
    }
    out.write(frame);
    out.flush();
  }

  private WebSocket connect(Reader reader) throws Exception {
    return HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), reader).get(10, TimeUnit.SECONDS);
  }

  /** A client that reads every message and keeps its topic. */
  private static final class Reader implements WebSocket.Listener {
    final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> topics = new ConcurrentLinkedQueue<>();
    final AtomicInteger history = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        String topic = new JsonObject(message).getString("topic");
        if (topic.equals("history")) {
          history.incrementAndGet();
        } else {
          messages.add(message);
        }
        topics.add(topic);
      }
      webSocket.request(1);
      return null;
    }

    List<String> topics() {
      return List.copyOf(topics);
    }

    int count(String topic) {
      return topic.equals("history") ? history.get() : (int) topics.stream().filter(topic::equals).count();
    }
  }
}
