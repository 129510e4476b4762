package io.chamberlain.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.config.NatsSettings;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.testkit.TestCertificates;
import io.chamberlain.testkit.TestTimeouts;
import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.NKey;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.support.JwtUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a Chamberlain process can authenticate to NATS and verify it, against a real nats-server
 * configured for it: the right credentials (from the same config keys the nodes read) make a JetStream
 * round trip; none or wrong ones are refused with the server's reason. jnats waits out its connect
 * timeout before it reports a refusal, so the refused connects get {@link #REFUSAL_TIMEOUT} rather
 * than a node's 5 s; and the tests run side by side (no other class meanwhile), each with a server
 * of its own.
 */
class NatsSecurityTest {

  private static final String PASSWORD = "pw-" + Long.toHexString(new SecureRandom().nextLong());
  /**
   * The connect timeout of a connect that is to be refused: on this machine the server answers at
   * once, so waiting out a node's {@link NatsConnector#CONNECT_TIMEOUT} would add nothing.
   */
  private static final Duration REFUSAL_TIMEOUT = TestTimeouts.seconds(1);

  @TempDir
  Path dir;

  @Test
  @Execution(ExecutionMode.CONCURRENT) // the class itself runs alone, as every other
  void userAndPassword() throws Exception {
    try (NatsTestServer server = NatsTestServer.start(
        "authorization { users = [ {user: \"chamberlain\", password: \"" + PASSWORD + "\"} ] }")) {
      Path passwordFile = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
      assertRoundTrip(settings(server, "CHAMBERLAIN_NATS_USER", "chamberlain", "CHAMBERLAIN_NATS_PASSWORD_FILE", passwordFile.toString()));
      assertRoundTrip(settings(server, "CHAMBERLAIN_NATS_USER", "chamberlain", "CHAMBERLAIN_NATS_PASSWORD", PASSWORD));
      assertAuthorizationRefused(settings(server));
      assertAuthorizationRefused(settings(server, "CHAMBERLAIN_NATS_USER", "chamberlain", "CHAMBERLAIN_NATS_PASSWORD", "wrong"));
      // The same credentials as the URL's user info.
      String withUserInfo = server.url().replace("nats://", "nats://chamberlain:%s@");
      assertRoundTrip(settings(server, "CHAMBERLAIN_NATS_URL", withUserInfo.formatted(PASSWORD)));
      String stale = PASSWORD + "-old";
      String reason = assertAuthorizationRefused(settings(server, "CHAMBERLAIN_NATS_URL", withUserInfo.formatted(stale)));
      assertFalse(reason.contains(stale), "the URL's password leaked into: " + reason);
    }
  }

  /**
   * A node retries an unreachable server forever, but not one that refuses its credentials: its connect
   * ends, bounded, with the server's reason and the way it authenticated, never the secret.
   */
  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void aNodeRefusedByTheServerStopsWithTheReason() throws Exception {
    try (NatsTestServer server = NatsTestServer.start(
        "authorization { users = [ {user: \"chamberlain\", password: \"" + PASSWORD + "\"} ] }")) {
      NatsSettings wrong = settings(server, "CHAMBERLAIN_NATS_USER", "chamberlain", "CHAMBERLAIN_NATS_PASSWORD", PASSWORD + "-old");
      AuthenticationException refused = assertTimeoutPreemptively(TestTimeouts.seconds(60),
          () -> assertThrows(AuthenticationException.class, () -> NatsConnector.connect(wrong, "gateway", REFUSAL_TIMEOUT)));
      assertTrue(refused.getMessage().contains("refused connection [gateway] with user [chamberlain]: Authorization Violation"),
          refused.getMessage());
      assertFalse(refused.getMessage().contains(PASSWORD), refused.getMessage());
      NatsSettings right = settings(server, "CHAMBERLAIN_NATS_USER", "chamberlain", "CHAMBERLAIN_NATS_PASSWORD", PASSWORD);
      try (Connection nats = NatsConnector.connect(right, "gateway")) {
        assertEquals(Connection.Status.CONNECTED, nats.getStatus());
      }
    }
  }

  /** jnats names the servers it could not reach; the user info of a URL must not come with them. */
  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void anUnreachableUrlsCredentialsStayOutOfTheError() throws Exception {
    String url = "nats://chamberlain:" + PASSWORD + "@127.0.0.1:" + io.chamberlain.testkit.TestClusters.freePort();
    NatsSettings settings = NatsSettings.fromEnvironment(Map.of("CHAMBERLAIN_NATS_URL", url));
    java.io.IOException unreachable = assertThrows(java.io.IOException.class, () -> NatsConnector.connectOnce(settings, "tool"));
    assertTrue(unreachable.getMessage().contains("nats://***@127.0.0.1:"), unreachable.getMessage());
    assertFalse(unreachable.getMessage().contains(PASSWORD), unreachable.getMessage());
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void token() throws Exception {
    try (NatsTestServer server = NatsTestServer.start("authorization { token: \"" + PASSWORD + "\" }")) {
      Path tokenFile = Files.writeString(dir.resolve("token"), PASSWORD);
      assertRoundTrip(settings(server, "CHAMBERLAIN_NATS_TOKEN_FILE", tokenFile.toString()));
      assertAuthorizationRefused(settings(server));
      assertAuthorizationRefused(settings(server, "CHAMBERLAIN_NATS_TOKEN", PASSWORD + "x"));
    }
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void nkeySeed() throws Exception {
    NKey user = NKey.createUser(new SecureRandom());
    NKey stranger = NKey.createUser(new SecureRandom());
    try (NatsTestServer server = NatsTestServer.start(
        "authorization { users = [ {nkey: \"" + new String(user.getPublicKey()) + "\"} ] }")) {
      Path seed = Files.writeString(dir.resolve("user.nk"), new String(user.getSeed()) + "\n");
      Path strangerSeed = Files.writeString(dir.resolve("stranger.nk"), new String(stranger.getSeed()));
      assertRoundTrip(settings(server, "CHAMBERLAIN_NATS_NKEY_FILE", seed.toString()));
      assertAuthorizationRefused(settings(server));
      assertAuthorizationRefused(settings(server, "CHAMBERLAIN_NATS_NKEY_FILE", strangerSeed.toString()));
    }
  }

  /**
   * Operator (decentralized) mode: an operator, an account with JetStream, and a user whose JWT the
   * account signed, in a {@code .creds} file as {@code nsc} writes it; a user of another account the
   * server does not know is refused.
   */
  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void credentialsFile() throws Exception {
    NKey operator = NKey.createOperator(new SecureRandom());
    NKey account = NKey.createAccount(new SecureRandom());
    String operatorJwt = jwt(operator, operator, "{\"type\":\"operator\",\"version\":2}");
    String accountJwt = jwt(operator, account, "{\"limits\":{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,"
        + "\"exports\":-1,\"wildcards\":true,\"conn\":-1,\"leaf\":-1,\"mem_storage\":-1,\"disk_storage\":-1,"
        + "\"streams\":-1,\"consumer\":-1},\"type\":\"account\",\"version\":2}");
    String accountId = new String(account.getPublicKey());
    // JetStream in operator mode needs a system account.
    NKey system = NKey.createAccount(new SecureRandom());
    String systemId = new String(system.getPublicKey());
    String systemJwt = jwt(operator, system, "{\"type\":\"account\",\"version\":2}");
    try (NatsTestServer server = NatsTestServer.start("operator: " + operatorJwt + "\nsystem_account: " + systemId
        + "\nresolver: MEMORY\nresolver_preload: { " + accountId + ": " + accountJwt + ", " + systemId + ": " + systemJwt + " }")) {
      assertRoundTrip(settings(server, "CHAMBERLAIN_NATS_CREDS_FILE", creds("user", account).toString()));
      assertAuthorizationRefused(settings(server));
      NKey unknownAccount = NKey.createAccount(new SecureRandom());
      assertAuthorizationRefused(settings(server, "CHAMBERLAIN_NATS_CREDS_FILE", creds("stranger", unknownAccount).toString()));
    }
  }

  /**
   * TLS with client certificates ({@code verify: true}): a client that trusts the server's CA and
   * presents a certificate from it connects; one without a certificate, one with a certificate of
   * another CA, one that does not trust the server's CA, and one in plain TCP do not.
   */
  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void tlsWithClientCertificates() throws Exception {
    TestCertificates ca = TestCertificates.newAuthority(dir, "nats");
    TestCertificates other = TestCertificates.newAuthority(dir, "other");
    TestCertificates.Pem server = ca.issue("nats-server");
    TestCertificates.Pem client = ca.issue("chamberlain");
    TestCertificates.Pem foreign = other.issue("chamberlain");
    try (NatsTestServer nats = NatsTestServer.start("tls { cert_file: \"" + server.certFile() + "\", key_file: \""
        + server.keyFile() + "\", ca_file: \"" + ca.caFile() + "\", verify: true, timeout: 5 }")) {
      assertRoundTrip(settings(nats, "CHAMBERLAIN_NATS_TLS_ENABLED", "true", "CHAMBERLAIN_NATS_TLS_CA_FILE", ca.caFile().toString(),
          "CHAMBERLAIN_NATS_TLS_CERT_FILE", client.certFile().toString(), "CHAMBERLAIN_NATS_TLS_KEY_FILE", client.keyFile().toString()));
      assertRefused(settings(nats, "CHAMBERLAIN_NATS_TLS_ENABLED", "true", "CHAMBERLAIN_NATS_TLS_CA_FILE", ca.caFile().toString()));
      assertRefused(settings(nats, "CHAMBERLAIN_NATS_TLS_ENABLED", "true", "CHAMBERLAIN_NATS_TLS_CA_FILE", ca.caFile().toString(),
          "CHAMBERLAIN_NATS_TLS_CERT_FILE", foreign.certFile().toString(), "CHAMBERLAIN_NATS_TLS_KEY_FILE", foreign.keyFile().toString()));
      assertRefused(settings(nats, "CHAMBERLAIN_NATS_TLS_ENABLED", "true", "CHAMBERLAIN_NATS_TLS_CA_FILE", other.caFile().toString(),
          "CHAMBERLAIN_NATS_TLS_CERT_FILE", client.certFile().toString(), "CHAMBERLAIN_NATS_TLS_KEY_FILE", client.keyFile().toString()));
      assertRefused(settings(nats));
    }
  }

  /** TLS without client certificates: the client verifies the server against the CA it was given. */
  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void tlsVerifiesTheServer() throws Exception {
    TestCertificates ca = TestCertificates.newAuthority(dir, "nats");
    TestCertificates impostor = TestCertificates.newAuthority(dir, "impostor");
    TestCertificates.Pem server = ca.issue("nats-server");
    try (NatsTestServer nats = NatsTestServer.start("tls { cert_file: \"" + server.certFile() + "\", key_file: \""
        + server.keyFile() + "\", timeout: 5 }")) {
      assertRoundTrip(settings(nats, "CHAMBERLAIN_NATS_TLS_ENABLED", "true", "CHAMBERLAIN_NATS_TLS_CA_FILE", ca.caFile().toString()));
      assertRefused(settings(nats, "CHAMBERLAIN_NATS_TLS_ENABLED", "true", "CHAMBERLAIN_NATS_TLS_CA_FILE", impostor.caFile().toString()));
      assertRefused(settings(nats, "CHAMBERLAIN_NATS_TLS_ENABLED", "true"));
    }
  }

  /** The server's certificate must name the host the client connects to, not just come from the CA. */
  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void tlsChecksTheServersName() throws Exception {
    TestCertificates ca = TestCertificates.newAuthority(dir, "nats");
    TestCertificates.Pem elsewhere = ca.issueForHost("nats-elsewhere", "nats.elsewhere.example");
    try (NatsTestServer nats = NatsTestServer.start("tls { cert_file: \"" + elsewhere.certFile() + "\", key_file: \""
        + elsewhere.keyFile() + "\", timeout: 5 }")) {
      assertRefused(settings(nats, "CHAMBERLAIN_NATS_TLS_ENABLED", "true", "CHAMBERLAIN_NATS_TLS_CA_FILE", ca.caFile().toString()));
    }
  }

  private static NatsSettings settings(NatsTestServer server, String... env) {
    Map<String, String> variables = new HashMap<>(Map.of("CHAMBERLAIN_NATS_URL", server.url()));
    for (int i = 0; i < env.length; i += 2) {
      variables.put(env[i], env[i + 1]);
    }
    return NatsSettings.fromEnvironment(variables);
  }

  private static void assertRoundTrip(NatsSettings settings) throws Exception {
    try (Connection nats = NatsConnector.connectOnce(settings, "security-test")) {
      String bucket = "security-" + Long.toHexString(System.nanoTime());
      nats.keyValueManagement().create(KeyValueConfiguration.builder().name(bucket).storageType(StorageType.Memory).build());
      KeyValue kv = nats.keyValue(bucket);
      kv.put("k", "v");
      assertEquals("v", kv.get("k").getValueAsString());
    }
  }

  private static String assertAuthorizationRefused(NatsSettings settings) {
    String reason = assertRefused(settings);
    assertTrue(reason.toLowerCase(java.util.Locale.ROOT).contains("authorization violation"), reason);
    assertFalse(reason.contains(PASSWORD), "the secret leaked into: " + reason);
    return reason;
  }

  /** The connect fails; returns every message of the failure's causes. */
  private static String assertRefused(NatsSettings settings) {
    Exception failure = assertThrows(Exception.class, () -> NatsConnector.connectOnce(settings, "security-test", REFUSAL_TIMEOUT).close(),
        "connected with " + settings);
    StringBuilder reasons = new StringBuilder();
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      reasons.append(cause).append(" / ");
    }
    return reasons.toString();
  }

  private static String jwt(NKey issuer, NKey subject, String natsClaim) throws Exception {
    return JwtUtils.issueJWT(issuer, new String(subject.getPublicKey()), "chamberlain-test", null,
        System.currentTimeMillis() / 1000, new String(issuer.getPublicKey()), () -> natsClaim);
  }

  private Path creds(String name, NKey account) throws Exception {
    NKey user = NKey.createUser(new SecureRandom());
    String userJwt = JwtUtils.issueUserJWT(account, new String(account.getPublicKey()), new String(user.getPublicKey()));
    return Files.writeString(dir.resolve(name + ".creds"), String.format(JwtUtils.NATS_USER_JWT_FORMAT, userJwt,
        new String(user.getSeed())));
  }
}
