package io.chamberlain.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the gateway's status API is guarded against callers and bad input: who may read
 * ({@code http.readToken}), which web origins may call it from a browser, TLS, and the bounds on
 * bodies, slow clients, operations and live clients. The defaults keep today's open read API and
 * plain HTTP; every option is off until set.
 *
 * @param readToken bearer token for the read endpoints; empty: they are open (the operations token also grants read)
 * @param corsAllowedOrigins browser origins ({@code scheme://host[:port]}) allowed to call the API; empty: none (no CORS headers)
 * @param tlsCertFile PEM certificate chain; with {@code tlsKeyFile} the API is served over HTTPS only
 * @param tlsKeyFile PEM private key (PKCS#8 or PKCS#1)
 * @param maxBodyBytes largest request body; larger ones get 413
 * @param requestHeaderTimeout a connection must have sent a whole request head within this long of opening
 *     (or of its previous response), else it is closed: a client trickling its headers holds nothing for long
 * @param operationsPerMinute operations one client (address) may ask for per minute; more get 429; 0: no limit
 * @param maxLiveClients live-feed (WebSocket) clients served at once; more get 503
 */
public record HttpSecurity(String readToken, List<String> corsAllowedOrigins, String tlsCertFile, String tlsKeyFile,
    int maxBodyBytes, Duration requestHeaderTimeout, int operationsPerMinute, int maxLiveClients) {

  /** Operation bodies (chamber profiles) are a few hundred bytes. */
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
  public static final int MIN_BODY_BYTES = 1024;
  public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
  public static final int DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS = 10_000;
  public static final int DEFAULT_OPERATIONS_PER_MINUTE = 60;
  public static final int DEFAULT_MAX_LIVE_CLIENTS = 256;
  /** An origin as a browser sends it: scheme, host, optional port; no path, no wildcard. */
  private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?");
  /** A token must fit an Authorization header as is (RFC 6750 b64token characters). */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

  /** Nothing configured: read endpoints open, no CORS, plain HTTP, default bounds. */
  public static final HttpSecurity OPEN = new HttpSecurity("", List.of(), "", "", DEFAULT_MAX_BODY_BYTES,
      Duration.ofMillis(DEFAULT_REQUEST_HEADER_TIMEOUT_MILLIS), DEFAULT_OPERATIONS_PER_MINUTE, DEFAULT_MAX_LIVE_CLIENTS);

  public HttpSecurity {
    checkReadToken(readToken);
    for (String origin : corsAllowedOrigins) {
      if (!ORIGIN.matcher(origin).matches()) {
        throw new ConfigException("http.cors.allowedOrigins: '" + origin
            + "' is not an origin like https://ops.example.com or http://127.0.0.1:3000 (scheme, host, optional port; no path, no *)");
      }
    }
    corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
    if (tlsCertFile.isEmpty() != tlsKeyFile.isEmpty()) {
      throw new ConfigException("http.tls.certFile and http.tls.keyFile are set together or not at all; only "
          + (tlsCertFile.isEmpty() ? "http.tls.keyFile" : "http.tls.certFile") + " is set");
    }
    readable("http.tls.certFile", tlsCertFile);
    readable("http.tls.keyFile", tlsKeyFile);
    Validation.atLeast("http.maxBodyBytes", maxBodyBytes, MIN_BODY_BYTES);
    Validation.atMost("http.maxBodyBytes", maxBodyBytes, MAX_BODY_BYTES);
    Validation.positive("http.requestHeaderTimeoutMillis", requestHeaderTimeout.toMillis());
    Validation.atLeast("http.operations.ratePerMinute", operationsPerMinute, 0);
    Validation.positive("http.ws.maxClients", maxLiveClients);
  }

  public boolean tls() {
    return !tlsCertFile.isEmpty();
  }

  static HttpSecurity from(ResolvedConfig c) {
    return new HttpSecurity(c.string("http.readToken"), c.strings("http.cors.allowedOrigins"),
        c.string("http.tls.certFile"), c.string("http.tls.keyFile"), c.integer("http.maxBodyBytes"),
        Duration.ofMillis(c.integer("http.requestHeaderTimeoutMillis")), c.integer("http.operations.ratePerMinute"),
        c.integer("http.ws.maxClients"));
  }

  /**
   * Refuses an {@code http.readToken} that could not travel as is in an Authorization header; empty is
   * fine (no token). The gateway's and the worker's key are one key with one rule: both call this.
   */
  static void checkReadToken(String readToken) {
    if (!readToken.isEmpty() && !TOKEN.matcher(readToken).matches()) {
      throw new ConfigException("http.readToken may only contain letters, digits and . _ ~ + / - (then '='), "
          + "as a bearer token in an Authorization header does; it has other characters");
    }
  }

  private static void readable(String key, String file) {
    if (!file.isEmpty() && !Files.isReadable(Path.of(file))) {
      throw new ConfigException(key + ": no readable file at '" + file + "'");
    }
  }

  @Override
  public String toString() {
    // Never the token itself: configs get logged.
    return "HttpSecurity[readToken=" + (readToken.isEmpty() ? "(none)" : "(set)") + ", corsAllowedOrigins="
        + corsAllowedOrigins + ", tls=" + tls() + ", maxBodyBytes=" + maxBodyBytes + ", requestHeaderTimeout="
        + requestHeaderTimeout + ", operationsPerMinute=" + operationsPerMinute + ", maxLiveClients=" + maxLiveClients + "]";
  }
}
