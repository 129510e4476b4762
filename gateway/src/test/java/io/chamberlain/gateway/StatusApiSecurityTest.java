package io.chamberlain.gateway;

import static io.chamberlain.gateway.StatusApiHarness.ADMIN_TOKEN;
import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.config.HttpSecurity;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every security option of the status API, each on a real server, each called with and without
 * credentials: the read token (HTTP, {@code /metrics}, the WebSocket), the operations token, CORS
 * closed by default and open only to configured origins, the security headers, the per-client limit
 * on operations, TLS, the body limit, the cap on live clients, and slow-header clients cut off while
 * others are served. Probes stay open throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusApiSecurityTest {

  private static final String READ_TOKEN = "read-token-0123456789";
  private static final String PROBLEM_JSON = "application/problem+json";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(seconds(10)).build();

  private StatusApiHarness harness;

  @BeforeAll
  void start() throws Exception {
    harness = new StatusApiHarness();
  }

  @AfterAll
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private static HttpSecurity security(String readToken, List<String> origins, int maxBodyBytes, long headerTimeoutMillis,
      int operationsPerMinute, int maxLiveClients) {
    return new HttpSecurity(readToken, origins, "", "", maxBodyBytes, Duration.ofMillis(headerTimeoutMillis),
        operationsPerMinute, maxLiveClients);
  }

  private int serve(HttpSecurity security) throws Exception {
    return harness.deploy(security, StatusApiHarness.registry()).actualPort();
  }

  @Test
  void withAReadTokenReadsNeedItOrTheOperationsTokenWhileProbesAndTheDashboardStayOpen() throws Exception {
    int secured = serve(security(READ_TOKEN, List.of(), 65_536, 10_000, 60, 8));
    int open = serve(HttpSecurity.OPEN);
    for (String path : List.of("/api/stats", "/api/assignments", "/api/history", "/api/lag", "/metrics")) {
      HttpResponse<String> anonymous = get(secured, path, null, Map.of());
      assertEquals(401, anonymous.statusCode(), path + ": " + anonymous.body());
      assertProblem(anonymous, 401);
      assertEquals("Bearer realm=\"chamberlain\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""), path);
      assertEquals(403, get(secured, path, "not-the-token", Map.of()).statusCode(), path);
      assertEquals(200, get(secured, path, READ_TOKEN, Map.of()).statusCode(), path);
      assertEquals(200, get(secured, path, ADMIN_TOKEN, Map.of()).statusCode(), path + " with the operations token");
      assertEquals(200, get(open, path, null, Map.of()).statusCode(), path + " without a read token configured");
    }
    assertFalse(get(secured, "/api/stats", "not-the-token", Map.of()).body().contains("not-the-token"),
        "the refusal never echoes the token");
    for (String path : List.of("/health", "/ready", "/", "/dashboard/dashboard.js", "/openapi.yaml")) {
      int status = get(secured, path, null, Map.of()).statusCode();
      assertTrue(status == 200 || path.equals("/ready") && status == 503, path + " stays open: " + status);
    }
    // Operations: the read token does not grant them.
    assertEquals(403, post(secured, "/api/defenders/defender-1/drain", READ_TOKEN, null).statusCode());
    assertEquals(401, post(secured, "/api/defenders/defender-1/drain", null, null).statusCode());
    HttpResponse<String> drained = post(secured, "/api/defenders/defender-1/drain", ADMIN_TOKEN, null);
    assertEquals(200, drained.statusCode(), drained.body());
  }

  @Test
  void theLiveFeedTakesTheReadTokenAsAHeaderOrAsAccessTokenAndIsCappedAtItsClients() throws Exception {
    int secured = serve(security(READ_TOKEN, List.of(), 65_536, 10_000, 60, 2));
    assertEquals(401, handshakeRefusal(secured, "/ws", null));
    assertEquals(403, handshakeRefusal(secured, "/ws?access_token=wrong", null));
    List<WebSocket> clients = new ArrayList<>();
    clients.add(webSocket(secured, "/ws?access_token=" + READ_TOKEN, null));
    clients.add(webSocket(secured, "/ws", READ_TOKEN));
    assertEquals(503, handshakeRefusal(secured, "/ws", READ_TOKEN), "a third client beyond http.ws.maxClients=2");
    clients.forEach(ws -> ws.abort());
  }

  @Test
  void corsIsClosedByDefaultAndOpenOnlyToConfiguredOrigins() throws Exception {
    int open = serve(HttpSecurity.OPEN);
    int cors = serve(security("", List.of("https://ops.example.com"), 65_536, 10_000, 60, 8));
    Map<String, String> fromOps = Map.of("Origin", "https://ops.example.com");
    Map<String, String> fromElsewhere = Map.of("Origin", "https://evil.example.net");
    for (Map<String, String> origin : List.of(fromOps, fromElsewhere)) {
      HttpResponse<String> response = get(open, "/api/stats", null, origin);
      assertTrue(response.headers().map().keySet().stream().noneMatch(h -> h.toLowerCase().startsWith("access-control-")),
          "no CORS header by default: " + response.headers().map());
      HttpResponse<String> preflight = preflight(open, origin.get("Origin"));
      assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), preflight.headers().map().toString());
    }
    HttpResponse<String> allowed = get(cors, "/api/stats", null, fromOps);
    assertEquals(200, allowed.statusCode());
    assertEquals("https://ops.example.com", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    HttpResponse<String> preflight = preflight(cors, "https://ops.example.com");
    assertEquals("https://ops.example.com", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase().contains("authorization"));
    HttpResponse<String> refused = get(cors, "/api/stats", null, fromElsewhere);
    assertTrue(refused.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), refused.headers().map().toString());
    assertProblem(refused, 403);
  }

  @Test
  void everyResponseCarriesTheSecurityHeadersAndApiRepliesAreNotStored() throws Exception {
    int open = serve(HttpSecurity.OPEN);
    for (String path : List.of("/api/stats", "/api/no-such-thing", "/dashboard/index.html", "/health", "/nowhere")) {
      HttpResponse<String> response = get(open, path, null, Map.of());
      var headers = response.headers();
      assertEquals("nosniff", headers.firstValue("X-Content-Type-Options").orElse(""), path);
      assertEquals("DENY", headers.firstValue("X-Frame-Options").orElse(""), path);
      assertEquals("no-referrer", headers.firstValue("Referrer-Policy").orElse(""), path);
      String csp = headers.firstValue("Content-Security-Policy").orElse("");
      for (String directive : List.of("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'")) {
        assertTrue(csp.contains(directive), path + ": " + directive + " in " + csp);
      }
      assertTrue(headers.firstValue("Strict-Transport-Security").isEmpty(), path + ": no HSTS over plain HTTP");
      if (path.startsWith("/api/")) {
        assertEquals("no-store", headers.firstValue("Cache-Control").orElse(""), path);
      }
    }
  }

  @Test
  void operationsAreLimitedPerClientWithRetryAfterWhileReadsGoOn() throws Exception {
    PrometheusMeterRegistry registry = StatusApiHarness.registry();
    int limited = harness.deploy(security("", List.of(), 65_536, 10_000, 3, 8), registry).actualPort();
    int unlimited = serve(security("", List.of(), 65_536, 10_000, 0, 8));
    for (int i = 0; i < 3; i++) {
      assertEquals(200, post(limited, "/api/defenders/defender-1/undrain", ADMIN_TOKEN, null).statusCode(), "operation " + i);
    }
    HttpResponse<String> refused = post(limited, "/api/defenders/defender-1/undrain", ADMIN_TOKEN, null);
    assertProblem(refused, 429);
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElse("0"));
    assertTrue(retryAfter >= 1 && retryAfter <= 61, "Retry-After in seconds within the minute: " + retryAfter);
    assertEquals(429, post(limited, "/api/defenders/defender-1/undrain", "a-guess", null).statusCode(),
        "guesses count against the same limit");
    assertEquals(2.0, registry.get("chamberlain.http.operations.limited").counter().count());
    assertEquals(200, get(limited, "/api/stats", null, Map.of()).statusCode(), "reads are not limited");
    for (int i = 0; i < 5; i++) {
      assertEquals(200, post(unlimited, "/api/defenders/defender-1/undrain", ADMIN_TOKEN, null).statusCode(),
          "ratePerMinute 0: no limit");
    }
  }

  @Test
  void bodiesBeyondTheLimitGet413() throws Exception {
    int small = serve(security("", List.of(), 1_024, 10_000, 60, 8));
    String body = "{\"svidCount\": 30, \"hz\": 2, \"contextSeconds\": 60, \"pad\": \"" + "x".repeat(2_000) + "\"}";
    HttpResponse<String> tooLarge = send(small, "PUT", "/api/chambers/tool001/1/profile", ADMIN_TOKEN, body);
    assertProblem(tooLarge, 413);
    assertTrue(tooLarge.body().contains("1024 bytes"), tooLarge.body());
    assertEquals(200, send(small, "PUT", "/api/chambers/tool001/1/profile", ADMIN_TOKEN,
        "{\"svidCount\": 30, \"hz\": 2, \"contextSeconds\": 60}").statusCode(), "a body within the limit");
  }

  @Test
  void aClientTricklingItsHeadersIsCutOffWhileOthersAreServed() throws Exception {
    PrometheusMeterRegistry registry = StatusApiHarness.registry();
    long headerTimeoutMillis = 1_000;
    int port = harness.deploy(security("", List.of(), 65_536, headerTimeoutMillis, 60, 8), registry).actualPort();
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try (Socket slow = new Socket("127.0.0.1", port)) {
      slow.setSoTimeout((int) seconds(60).toMillis());
      OutputStream out = slow.getOutputStream();
      byte[] head = ("GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "X-Slow: 1\r\n".repeat(500)).getBytes(
          StandardCharsets.US_ASCII);
      int[] sent = {0};
      // One byte every 100 ms, each resetting any idle timeout: the head would take ~9 minutes.
      trickle.scheduleAtFixedRate(() -> {
        try {
          if (sent[0] < head.length) {
            out.write(head[sent[0]++]);
            out.flush();
          }
        } catch (java.io.IOException closed) {
          throw new java.io.UncheckedIOException(closed); // ends the schedule
        }
      }, 0, 100, TimeUnit.MILLISECONDS);
      CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> readToEnd(slow));
      assertEquals(200, get(port, "/api/stats", null, Map.of()).statusCode(), "another client is served meanwhile");
      String answered = reply.get(seconds(60).toMillis(), TimeUnit.MILLISECONDS);
      assertFalse(answered.startsWith("timeout"), "the trickling connection was not closed: " + answered);
      assertFalse(answered.contains("HTTP/1.1 200"), "the trickling client got no answer: " + answered);
      assertTrue(sent[0] < head.length, "cut off before its head was complete (" + sent[0] + " bytes sent)");
      assertEquals(1.0, registry.get("chamberlain.http.closed.slow").counter().count());
      assertEquals(200, get(port, "/api/stats", null, Map.of()).statusCode(), "and the server still serves");
    } finally {
      trickle.shutdownNow();
    }
  }

  @Test
  void withTlsAClientTrustingTheCertificateIsServedAndAPlainOneIsNot() throws Exception {
    Path dir = Files.createTempDirectory("tls-");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    X509Certificate certificate = selfSigned(cert, key);
    int port = serve(new HttpSecurity(READ_TOKEN, List.of(), cert.toString(), key.toString(), 65_536,
        Duration.ofSeconds(10), 60, 8));
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("gateway", certificate);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    HttpClient https = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(seconds(10)).build();

    HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/health"))
        .timeout(seconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    assertTrue(health.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="),
        "HSTS over TLS: " + health.headers().map());
    HttpRequest.Builder stats = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/stats"))
        .timeout(seconds(10));
    assertEquals(401, https.send(stats.build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "TLS and the token");
    assertEquals(200, https.send(stats.header("Authorization", "Bearer " + READ_TOKEN).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());

    assertThrows(java.io.IOException.class, () -> HTTP.send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + port + "/health")).timeout(seconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()), "a client that does not trust the certificate");
    try (Socket plain = new Socket("127.0.0.1", port)) {
      plain.setSoTimeout((int) seconds(30).toMillis());
      plain.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = readToEnd(plain);
      assertFalse(answer.contains("HTTP/1.1"), "plain HTTP gets no HTTP answer: " + answer);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static X509Certificate selfSigned(Path certFile, Path keyFile) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name("CN=127.0.0.1");
    long now = System.currentTimeMillis();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now),
        new Date(now - 60_000), new Date(now + 86_400_000L), name, pair.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    Files.writeString(certFile, "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n");
    Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    return certificate;
  }

  /** What the server sends until it closes ({@code "timeout…"} if it does not within the socket's timeout). */
  private static String readToEnd(Socket socket) {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        read.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      return "timeout after " + read.toString(StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException reset) {
      // a reset is a close too
    }
    return read.toString(StandardCharsets.ISO_8859_1);
  }

  private static void assertProblem(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(PROBLEM_JSON, response.headers().firstValue("content-type").orElse(""));
    assertEquals(status, new JsonObject(response.body()).getInteger("status"), response.body());
  }

  private static HttpResponse<String> get(int port, String path, String token, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(seconds(10));
    headers.forEach(request::header);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(int port, String path, String token, String body) throws Exception {
    return send(port, "POST", path, token, body);
  }

  private static HttpResponse<String> send(int port, String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(seconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> preflight(int port, String origin) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/defenders/defender-1/drain"))
        .timeout(seconds(10)).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
        .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "authorization")
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static WebSocket webSocket(int port, String path, String token) throws Exception {
    WebSocket.Builder builder = HTTP.newWebSocketBuilder();
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder.buildAsync(URI.create("ws://127.0.0.1:" + port + path), new WebSocket.Listener() { })
        .get(seconds(10).toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The status of a refused WebSocket handshake (fails if it was accepted). */
  private static int handshakeRefusal(int port, String path, String token) throws Exception {
    ExecutionException refused = assertThrows(ExecutionException.class, () -> webSocket(port, path, token).abort(),
        path + " should be refused");
    return assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode();
  }
}
