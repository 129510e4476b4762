package io.chamberlain.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Slow-header ("slowloris") clients: a connection must have sent a whole request head within
 * {@code http.requestHeaderTimeoutMillis} of opening, and again of its previous response ending, or it
 * is closed. The server's idle timeout cannot do this — every trickled byte resets it — so each
 * connection gets a deadline timer, cancelled when its request head has been read (Vert.x calls the
 * request handler only then) and armed again when the response ends. A WebSocket is exempt once
 * upgraded (the live feed bounds it). Memory per trickling client is bounded by Netty's header limits
 * (8 KiB), and such clients hold no thread: other clients are served meanwhile. Runs on the server's
 * context.
 */
final class RequestHeadDeadline {

  private final Vertx vertx;
  private final long timeoutMillis;
  private final Counter closed;
  private final Map<HttpConnection, Long> deadlines = new IdentityHashMap<>();

  RequestHeadDeadline(Vertx vertx, long timeoutMillis, MeterRegistry registry) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
    this.closed = Counter.builder("chamberlain.http.closed.slow")
        .description("HTTP connections closed for not sending a request head in time (http.requestHeaderTimeoutMillis)")
        .register(registry);
  }

  /** Arms the deadline of every new connection of {@code server}. */
  void guard(HttpServer server) {
    server.connectionHandler(connection -> {
      connection.closeHandler(v -> cancel(connection));
      arm(connection);
    });
  }

  /** Call first for every request: its head has arrived. */
  void headRead(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    cancel(connection);
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      request.response().endHandler(v -> arm(connection));
    }
  }

  int pending() {
    return deadlines.size();
  }

  private void arm(HttpConnection connection) {
    cancel(connection);
    deadlines.put(connection, vertx.setTimer(timeoutMillis, id -> {
      deadlines.remove(connection);
      closed.increment();
      connection.close();
    }));
  }

  private void cancel(HttpConnection connection) {
    Long timer = deadlines.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }
}
