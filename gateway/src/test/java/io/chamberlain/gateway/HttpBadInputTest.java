package io.chamberlain.gateway;

import static io.chamberlain.gateway.StatusApiHarness.ADMIN_TOKEN;
import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.config.HttpSecurity;
import io.chamberlain.testkit.Seeds;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bad input at the status API over raw sockets (so nothing is cleaned up by a client library):
 * path traversal at the static files, unknown paths, wrong methods, malformed JSON, wrong types and
 * missing fields on every operation that reads a body, and a seeded fuzz of random methods, paths,
 * headers and bodies ({@link Seeds}: the seed is printed, {@code -Dchamberlain.seed=} replays it).
 * Every reply is 2xx or 4xx, every 4xx a problem document with its status, no body carries a stack
 * trace or a class name, no file outside the web root is served, and the server answers a good
 * request after each round.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpBadInputTest {

  private static final int ROUNDS = 400;
  /** What a stack trace or an exception's class name leaves in a body. */
  private static final List<String> LEAKS = List.of("Exception", "at io.", "java.", "\tat ", "io.vertx", "com.fasterxml");
  /** What a file outside the web root would show: a manifest, /etc/passwd, a class file, the gateway's own sources. */
  private static final List<String> OUTSIDE = List.of("Manifest-Version", "root:x:0:0", "\u00ca\u00fe\u00ba\u00be",
      "package io.chamberlain");
  private static final List<String> TRAVERSALS = List.of(
      "/dashboard/../../../../etc/passwd", "/dashboard/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/dashboard/..%2f..%2f..%2fetc%2fpasswd",
      "/dashboard/%2e%2e%2f%2e%2e%2fMETA-INF/MANIFEST.MF", "/dashboard/..%2F..%2FMETA-INF%2FMANIFEST.MF",
      "/webjars/../../MANIFEST.MF", "/webjars/%2e%2e/%2e%2e/%2e%2e/MANIFEST.MF", "/webjars/..%2f..%2f..%2fMANIFEST.MF",
      "/dashboard/..%5c..%5cMETA-INF%5cMANIFEST.MF", "/dashboard/%252e%252e/%252e%252e/META-INF/MANIFEST.MF",
      "/dashboard/../io/chamberlain/gateway/Problem.class", "/dashboard/%2e%2e/io/chamberlain/gateway/Problem.class",
      "/dashboard/....//....//META-INF/MANIFEST.MF", "/dashboard/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
      "/dashboard/..;/..;/META-INF/MANIFEST.MF", "/dashboard//etc/passwd", "/webjars/%2e%2e%5c%2e%2e%5cMANIFEST.MF");

  private StatusApiHarness harness;
  private int port;

  @BeforeAll
  void start() throws Exception {
    harness = new StatusApiHarness();
    // No operation limit here: the fuzz sends hundreds of operations from one address.
    port = harness.deploy(new HttpSecurity("", List.of(), "", "", HttpSecurity.DEFAULT_MAX_BODY_BYTES,
        java.time.Duration.ofSeconds(10), 0, 8), StatusApiHarness.registry()).actualPort();
  }

  @AfterAll
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void pathTraversalNeverServesAFileOutsideTheWebRoot() throws Exception {
    for (String path : TRAVERSALS) {
      Reply reply = send("GET", path, List.of(), null);
      assertTrue(reply.status == 404 || reply.status == 400, path + " → " + reply.status + "\n" + reply.body);
      checked(reply, "GET " + path);
    }
    assertEquals(200, send("GET", "/dashboard/dashboard.css", List.of(), null).status, "the web root itself is served");
  }

  @Test
  void unknownPathsAndWrongMethodsAreProblems() throws Exception {
    assertEquals(404, checked(send("GET", "/api/nothing-here", List.of(), null), "unknown").status);
    assertEquals(404, checked(send("GET", "/nothing-here", List.of(), null), "unknown").status);
    assertEquals(405, checked(send("DELETE", "/api/stats", List.of(), null), "wrong method").status);
    assertEquals(405, checked(send("GET", "/api/rebalance", List.of(), null), "wrong method").status);
  }

  @Test
  void malformedJsonWrongTypesAndMissingFieldsAre400sNamingTheField() throws Exception {
    String profile = "/api/chambers/tool001/1/profile";
    record Case(String body, String field) { }
    for (Case c : List.of(new Case("{\"svidCount\": 30, \"hz\": 2", null), new Case("not json at all", null),
        new Case("[1, 2, 3]", null), new Case("\"a string\"", null), new Case("", null),
        new Case("{\"svidCount\": \"thirty\", \"hz\": 2, \"contextSeconds\": 60}", "svidCount"),
        new Case("{\"svidCount\": 30, \"contextSeconds\": 60}", "hz"),
        new Case("{\"svidCount\": 30, \"hz\": [2], \"contextSeconds\": 60}", "hz"),
        new Case("{\"svidCount\": 30, \"hz\": 2, \"contextSeconds\": null}", "contextSeconds"),
        new Case("{\"svidCount\": -30, \"hz\": 2, \"contextSeconds\": 60}", "svidCount"),
        new Case("{\"svidCount\": 1e400, \"hz\": 2, \"contextSeconds\": 60}", "svidCount"))) {
      Reply reply = checked(send("PUT", profile, List.of("Authorization: Bearer " + ADMIN_TOKEN,
          "Content-Type: application/json"), c.body), c.body);
      assertEquals(400, reply.status, c.body + " → " + reply.body);
      assertEquals(c.field, new JsonObject(reply.body).getString("field"), c.body + " → " + reply.body);
    }
    Reply badId = checked(send("POST", "/api/defenders/de%20fender/drain", List.of("Authorization: Bearer " + ADMIN_TOKEN),
        null), "bad id");
    assertEquals(400, badId.status, badId.body);
    assertEquals("id", new JsonObject(badId.body).getString("field"));
  }

  @Test
  void seededRandomRequestsGetProblemsNeverStackTracesAndTheServerStaysUp() throws Exception {
    long seed = Seeds.base("HttpBadInputTest", 0x5EED_13L);
    Random random = new Random(seed);
    for (int round = 0; round < ROUNDS; round++) {
      String method = pick(random, List.of("GET", "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE",
          "FOO", "CONNECT"));
      String path = randomPath(random);
      List<String> headers = new ArrayList<>();
      if (random.nextBoolean()) {
        headers.add("Authorization: " + pick(random, List.of("Bearer " + ADMIN_TOKEN, "Bearer " + ADMIN_TOKEN,
            "Bearer wrong", "Basic YTpi", "Bearer", "bearer " + ADMIN_TOKEN, "Bearer " + "x".repeat(3_000))));
      }
      if (random.nextBoolean()) {
        headers.add("Content-Type: " + pick(random, List.of("application/json", "text/plain", "application/json; charset=latin1",
            "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "}{")));
      }
      if (random.nextInt(5) == 0) {
        headers.add(pick(random, List.of("Accept: */*", "Origin: https://evil.example.net", "X-Forwarded-For: 1.2.3.4",
            "Accept-Encoding: gzip, deflate", "Range: bytes=0-10", "If-None-Match: *", "Expect: 100-continue")));
      }
      String body = random.nextInt(3) == 0 ? null : randomBody(random);
      String what = "round " + round + " (seed " + seed + "): " + method + " " + path + " " + headers + " body "
          + (body == null ? "none" : abbreviated(body));
      Reply reply = send(method, path, headers, body);
      assertTrue(reply.status >= 200 && reply.status < 500, what + " → " + reply.status + "\n" + abbreviated(reply.body));
      checked(reply, what);
      if (round % 50 == 49) {
        assertEquals(200, send("GET", "/api/stats", List.of(), null).status, "still serving after " + what);
      }
    }
    assertEquals(200, send("GET", "/health", List.of(), null).status);
  }

  private static String randomPath(Random random) {
    List<String> known = List.of("/api/stats", "/api/cluster", "/api/assignments", "/api/lag", "/api/history",
        "/api/defenders/{s}", "/api/defenders/{s}/drain", "/api/defenders/{s}/undrain", "/api/chambers/{s}/{s}",
        "/api/chambers/{s}/{s}/profile", "/api/rebalance", "/dashboard/{s}", "/webjars/{s}", "/{s}", "/metrics",
        "/openapi.yaml", "/health", "/ready", "/api/{s}");
    String path = pick(random, known);
    while (path.contains("{s}")) {
      path = path.replaceFirst("\\{s}", java.util.regex.Matcher.quoteReplacement(randomSegment(random)));
    }
    if (random.nextInt(4) == 0) {
      path += "?" + pick(random, List.of("limit=-1", "limit=abc", "offset=99999999999", "kind=weather", "defender=%00",
          "limit=1&limit=2", "%zz", "a=" + "b".repeat(2_000), "chamber=tool001:1", "access_token=x"));
    }
    return path;
  }

  private static String randomSegment(Random random) {
    return pick(random, List.of("tool001", "1", "defender-1", "..", "%2e%2e", "..%2f..", "%00", "%zz", "ø", "%C3%B8",
        "a b".replace(" ", "%20"), "x".repeat(300), "index.html", "dashboard.js", "tool001:1", "%2F", "*", ">", "",
        "%u002e", "<script>", "'; DROP"));
  }

  private static String randomBody(Random random) {
    return pick(random, List.of("{\"svidCount\": 30, \"hz\": 2, \"contextSeconds\": 60}", "{", "}", "[]", "null", "true",
        "{\"svidCount\": \"x\"}", "{\"svidCount\": 30, \"hz\": 2, \"contextSeconds\": 1e309}",
        "{\"svidCount\": 9223372036854775808, \"hz\": 2, \"contextSeconds\": 60}",
        "{\"svidCount\": 30, \"hz\": {\"a\": 1}, \"contextSeconds\": 60}", "[".repeat(5_000) + "]".repeat(5_000),
        "{\"a\":" .repeat(2_000) + "1" + "}".repeat(2_000), "\u0000\u0001\u0002", "{\"svidCount\": 30,,}",
        "x".repeat(70_000), "{\"subscribe\": [\"history\"]}", "\uFEFF{}", "{\"svidCount\": NaN}"));
  }

  private static <T> T pick(Random random, List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  /** Checks what every reply must be, and returns it. */
  private static Reply checked(Reply reply, String what) {
    // Errors and API replies; the dashboard's scripts and the metrics may say "Exception" for good reason.
    if (reply.status >= 400 || reply.header("content-type").contains("json")) {
      for (String leak : LEAKS) {
        assertFalse(reply.body.contains(leak), what + " → its body shows '" + leak + "':\n" + abbreviated(reply.body));
      }
    }
    for (String outside : OUTSIDE) {
      assertFalse(reply.body.contains(outside), what + " → a file outside the web root:\n" + abbreviated(reply.body));
    }
    if (reply.status >= 400 && !reply.head) {
      assertEquals("application/problem+json", reply.header("content-type"), what + " → " + reply.status + " "
          + abbreviated(reply.body));
      assertEquals(reply.status, new JsonObject(reply.body).getInteger("status"), what);
    }
    return reply;
  }

  private static String abbreviated(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "… (" + text.length() + " characters)";
  }

  /** One request on its own connection, the whole reply read until the server closes. */
  private Reply send(String method, String path, List<String> headers, String body) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) seconds(30).toMillis());
      StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\n");
      headers.forEach(h -> head.append(h).append("\r\n"));
      byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) {
        head.append("Content-Length: ").append(content.length).append("\r\n");
      }
      head.append("\r\n");
      socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
      try {
        socket.getOutputStream().write(content);
      } catch (java.io.IOException refusedEarly) {
        // the server may answer (413, 401) and close before reading all of a large body
      }
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          read.write(buffer, 0, n);
        }
      } catch (java.net.SocketException reset) {
        // closed after its answer, with unread request bytes left: a reset
      }
      return Reply.parse(read.toByteArray(), method.equals("HEAD"), method + " " + path);
    }
  }

  /** A raw HTTP/1.1 reply: status, headers, body (de-chunked). */
  private record Reply(int status, List<String> headers, String body, boolean head) {

    static Reply parse(byte[] bytes, boolean head, String request) {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      while (text.matches("(?s)HTTP/1\\.[01] 1.*") && text.indexOf("\r\n\r\n") > 0) { // an interim reply (100 Continue)
        int interim = text.indexOf("\r\n\r\n") + 4;
        bytes = java.util.Arrays.copyOfRange(bytes, interim, bytes.length);
        text = text.substring(interim);
      }
      int end = text.indexOf("\r\n\r\n");
      // HTTP/1.0 when the request line could not be read (its version unknown): Netty answers in 1.0.
      assertTrue(text.matches("(?s)HTTP/1\\.[01] .*") && end > 0, request + ": not an HTTP reply: " + abbreviated(text));
      String[] lines = text.substring(0, end).split("\r\n");
      int status = Integer.parseInt(lines[0].substring(9, 12));
      List<String> headers = List.of(lines).subList(1, lines.length);
      byte[] rest = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
      boolean chunked = headers.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:")
          && h.toLowerCase(Locale.ROOT).contains("chunked"));
      return new Reply(status, headers, new String(chunked ? dechunk(rest) : rest, StandardCharsets.UTF_8), head);
    }

    String header(String name) {
      return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":"))
          .map(h -> h.substring(h.indexOf(':') + 1).strip()).findFirst().orElse("");
    }

    private static byte[] dechunk(byte[] bytes) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int at = 0;
      while (at < bytes.length) {
        int lineEnd = at;
        while (lineEnd + 1 < bytes.length && !(bytes[lineEnd] == '\r' && bytes[lineEnd + 1] == '\n')) {
          lineEnd++;
        }
        String size = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].strip();
        int length = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
        if (length == 0) {
          break;
        }
        out.write(bytes, lineEnd + 2, Math.min(length, bytes.length - lineEnd - 2));
        at = lineEnd + 2 + length + 2;
      }
      return out.toByteArray();
    }
  }
}
