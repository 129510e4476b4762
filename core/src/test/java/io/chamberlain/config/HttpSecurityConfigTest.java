package io.chamberlain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The status API's security keys and the worker's read token: defaults are open, each bad value is refused
 * naming its key, secrets never printed.
 */
class HttpSecurityConfigTest {

  @Test
  void byDefaultNothingIsTurnedOn() {
    HttpSecurity http = gateway(Map.of()).http();
    assertEquals(HttpSecurity.OPEN, http);
    assertFalse(http.tls());
    assertEquals(List.of(), http.corsAllowedOrigins());
  }

  @Test
  void eachOptionIsReadFromTheEnvironment() throws Exception {
    Path cert = Files.createTempFile("cert-", ".pem");
    Path key = Files.createTempFile("key-", ".pem");
    try {
      HttpSecurity http = gateway(Map.of("CHAMBERLAIN_HTTP_READ_TOKEN", "r3ad-T0ken",
          "CHAMBERLAIN_HTTP_CORS_ALLOWED_ORIGINS", "https://ops.example.com, http://127.0.0.1:3000",
          "CHAMBERLAIN_HTTP_TLS_CERT_FILE", cert.toString(), "CHAMBERLAIN_HTTP_TLS_KEY_FILE", key.toString(),
          "CHAMBERLAIN_HTTP_MAX_BODY_BYTES", "2048", "CHAMBERLAIN_HTTP_OPERATIONS_RATE_PER_MINUTE", "5",
          "CHAMBERLAIN_HTTP_WS_MAX_CLIENTS", "3", "CHAMBERLAIN_HTTP_REQUEST_HEADER_TIMEOUT_MILLIS", "1500")).http();
      assertEquals("r3ad-T0ken", http.readToken());
      assertEquals(List.of("https://ops.example.com", "http://127.0.0.1:3000"), http.corsAllowedOrigins());
      assertTrue(http.tls());
      assertEquals(2048, http.maxBodyBytes());
      assertEquals(5, http.operationsPerMinute());
      assertEquals(3, http.maxLiveClients());
      assertEquals(1500, http.requestHeaderTimeout().toMillis());
    } finally {
      Files.delete(cert);
      Files.delete(key);
    }
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertTrue(refused(Map.of("CHAMBERLAIN_HTTP_TLS_CERT_FILE", "/etc/hostname")).startsWith(
        "http.tls.certFile and http.tls.keyFile are set together or not at all; only http.tls.certFile is set"));
    assertTrue(refused(Map.of("CHAMBERLAIN_HTTP_TLS_CERT_FILE", "/etc/hostname", "CHAMBERLAIN_HTTP_TLS_KEY_FILE",
        "/no/such/key.pem")).startsWith("http.tls.keyFile: no readable file at '/no/such/key.pem'"));
    assertTrue(refused(Map.of("CHAMBERLAIN_HTTP_CORS_ALLOWED_ORIGINS", "*")).startsWith("http.cors.allowedOrigins: '*'"));
    assertTrue(refused(Map.of("CHAMBERLAIN_HTTP_CORS_ALLOWED_ORIGINS", "https://ops.example.com/dashboard"))
        .startsWith("http.cors.allowedOrigins: 'https://ops.example.com/dashboard' is not an origin"));
    String badToken = refused(Map.of("CHAMBERLAIN_HTTP_READ_TOKEN", "secret with spaces"));
    assertTrue(badToken.startsWith("http.readToken may only contain"), badToken);
    assertFalse(badToken.contains("secret"), "the message never repeats the token: " + badToken);
    assertTrue(refused(Map.of("CHAMBERLAIN_HTTP_MAX_BODY_BYTES", "10")).startsWith("http.maxBodyBytes must be ≥ 1024"));
    assertTrue(refused(Map.of("CHAMBERLAIN_HTTP_WS_MAX_CLIENTS", "0")).startsWith("http.ws.maxClients must be > 0"));
    assertTrue(refused(Map.of("CHAMBERLAIN_HTTP_OPERATIONS_RATE_PER_MINUTE", "-1"))
        .startsWith("http.operations.ratePerMinute must be ≥ 0"));
    assertTrue(refused(Map.of("CHAMBERLAIN_HTTP_REQUEST_HEADER_TIMEOUT_MILLIS", "0"))
        .startsWith("http.requestHeaderTimeoutMillis must be > 0"));
  }

  @Test
  void tokensAreNeverPrinted() {
    GatewayConfig config = gateway(Map.of("CHAMBERLAIN_HTTP_READ_TOKEN", "read-s3cret", "CHAMBERLAIN_HTTP_ADMIN_TOKEN",
        "admin-s3cret"));
    assertFalse(config.toString().contains("s3cret"), config.toString());
  }

  @Test
  void theWorkerReadsTheSameReadTokenWithTheSameRule() {
    assertEquals("", worker(Map.of()).httpReadToken(), "open by default");
    WorkerConfig secured = worker(Map.of("CHAMBERLAIN_HTTP_READ_TOKEN", "r3ad-T0ken/+=="));
    assertEquals("r3ad-T0ken/+==", secured.httpReadToken());
    assertFalse(secured.toString().contains("r3ad-T0ken"), secured.toString());
    assertTrue(secured.toString().contains("httpReadToken=(set)"), secured.toString());
    String badToken = assertThrows(ConfigException.class,
        () -> worker(Map.of("CHAMBERLAIN_HTTP_READ_TOKEN", "secret with spaces"))).getMessage();
    assertTrue(badToken.startsWith("http.readToken may only contain"), badToken);
    assertFalse(badToken.contains("secret"), "the message never repeats the token: " + badToken);
  }

  private static WorkerConfig worker(Map<String, String> env) {
    Map<String, String> withId = new java.util.HashMap<>(env);
    withId.put("CHAMBERLAIN_DEFENDER_ID", "defender-1");
    return ConfigResolver.resolve(ConfigSchema.WORKER, Map.of(), "-", withId).build(WorkerConfig::from);
  }

  private static GatewayConfig gateway(Map<String, String> env) {
    return ConfigResolver.resolve(ConfigSchema.GATEWAY, Map.of(), "-", env).build(GatewayConfig::from);
  }

  private static String refused(Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> gateway(env)).getMessage();
  }
}
