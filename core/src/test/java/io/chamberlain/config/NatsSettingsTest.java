package io.chamberlain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code nats.*} and {@code cluster.tls.*} keys: one way to authenticate, secrets from files, errors that name the key. */
class NatsSettingsTest {

  private static final String SECRET = "s3cr3t-Pa55";

  @TempDir
  Path dir;

  @Test
  void noKeysMeansNoCredentialsAndNoTls() {
    NatsSettings settings = nats(Map.of());
    assertInstanceOf(NatsSettings.NoAuth.class, settings.auth());
    assertFalse(settings.tls().enabled());
    assertEquals("nats://127.0.0.1:4222", settings.url());
  }

  @Test
  void userAndPasswordFromTheEnvironment() {
    NatsSettings settings = nats(Map.of("CHAMBERLAIN_NATS_USER", "chamberlain", "CHAMBERLAIN_NATS_PASSWORD", SECRET));
    NatsSettings.UserPassword auth = assertInstanceOf(NatsSettings.UserPassword.class, settings.auth());
    assertEquals("chamberlain", auth.user());
    assertEquals(SECRET, auth.password().reveal());
    assertFalse(settings.toString().contains(SECRET), settings.toString());
    assertFalse(auth.toString().contains(SECRET), auth.toString());
  }

  @Test
  void aSecretFileIsReadWithoutItsTrailingLineBreak() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), SECRET + "\n");
    NatsSettings.Token auth = assertInstanceOf(NatsSettings.Token.class,
        nats(Map.of("CHAMBERLAIN_NATS_TOKEN_FILE", file.toString())).auth());
    assertEquals(SECRET, auth.token().reveal());
    Path password = Files.writeString(dir.resolve("password"), SECRET);
    assertEquals(SECRET, ((NatsSettings.UserPassword) nats(Map.of("CHAMBERLAIN_NATS_USER", "u",
        "CHAMBERLAIN_NATS_PASSWORD_FILE", password.toString())).auth()).password().reveal());
  }

  @Test
  void credsAndNKeyFilesMustExist() throws Exception {
    Path creds = Files.writeString(dir.resolve("user.creds"), "jwt and seed");
    assertEquals(creds, ((NatsSettings.CredsFile) nats(Map.of("CHAMBERLAIN_NATS_CREDS_FILE", creds.toString())).auth()).file());
    Path missing = dir.resolve("absent.nk");
    assertEquals("nats.nkeyFile '" + missing + "' does not exist or is not a file",
        refused(Map.of("CHAMBERLAIN_NATS_NKEY_FILE", missing.toString())));
  }

  @Test
  void atMostOneWayToAuthenticate() throws Exception {
    Path creds = Files.writeString(dir.resolve("user.creds"), "x");
    String message = refused(Map.of("CHAMBERLAIN_NATS_TOKEN", SECRET, "CHAMBERLAIN_NATS_CREDS_FILE", creds.toString()));
    assertEquals("NATS authentication: set at most one of user/password, token, credsFile, nkeyFile; found nats.token, "
        + "nats.credsFile", message);
  }

  @Test
  void aSecretInlineAndInAFileIsRefusedWithoutShowingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("password"), "other");
    String message = refused(Map.of("CHAMBERLAIN_NATS_USER", "u", "CHAMBERLAIN_NATS_PASSWORD", SECRET,
        "CHAMBERLAIN_NATS_PASSWORD_FILE", file.toString()));
    assertEquals("nats.password and nats.passwordFile are both set: keep one", message);
    assertEquals("nats.user is set but neither nats.password nor nats.passwordFile is", refused(Map.of("CHAMBERLAIN_NATS_USER", "u")));
    assertEquals("nats.password is set but nats.user is not", refused(Map.of("CHAMBERLAIN_NATS_PASSWORD", SECRET)));
    assertEquals("nats.tokenFile '" + file.resolveSibling("empty") + "' is empty",
        refused(Map.of("CHAMBERLAIN_NATS_TOKEN_FILE", Files.writeString(dir.resolve("empty"), "\n").toString())));
  }

  @Test
  void tlsFilesAreCheckedAndGoTogether() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    Path cert = Files.writeString(dir.resolve("client.pem"), "x");
    NatsSettings verifyingOnly = nats(Map.of("CHAMBERLAIN_NATS_TLS_ENABLED", "true", "CHAMBERLAIN_NATS_TLS_CA_FILE", ca.toString()));
    assertTrue(verifyingOnly.tls().enabled());
    assertEquals(ca, verifyingOnly.tls().caFile());
    assertFalse(verifyingOnly.tls().hasClientCertificate());
    assertEquals("nats.tls.certFile and nats.tls.keyFile go together: keyFile is missing",
        refused(Map.of("CHAMBERLAIN_NATS_TLS_ENABLED", "true", "CHAMBERLAIN_NATS_TLS_CERT_FILE", cert.toString())));
    assertEquals("nats.tls.enabled is false but nats.tls.caFile is set: turn TLS on or remove the file",
        refused(Map.of("CHAMBERLAIN_NATS_TLS_CA_FILE", ca.toString())));
    assertEquals("nats.tls.caFile '" + dir.resolve("none.pem") + "' does not exist or is not a file",
        refused(Map.of("CHAMBERLAIN_NATS_TLS_ENABLED", "true", "CHAMBERLAIN_NATS_TLS_CA_FILE", dir.resolve("none.pem").toString())));
  }

  @Test
  void clusterTlsIsMutualSoItNeedsAllThreeFiles() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    Path cert = Files.writeString(dir.resolve("node.pem"), "x");
    Path key = Files.writeString(dir.resolve("node.key"), "x");
    Map<String, String> env = new HashMap<>(Map.of("CHAMBERLAIN_CLUSTER_TLS_ENABLED", "true",
        "CHAMBERLAIN_CLUSTER_TLS_CA_FILE", ca.toString(), "CHAMBERLAIN_CLUSTER_TLS_CERT_FILE", cert.toString()));
    ConfigException missing = assertThrows(ConfigException.class, () -> ClusterSettings.from(resolve(env)));
    assertTrue(missing.getMessage().startsWith("cluster.tls.keyFile is required when cluster.tls.enabled is true"),
        missing.getMessage());
    env.put("CHAMBERLAIN_CLUSTER_TLS_KEY_FILE", key.toString());
    TlsSettings tls = ClusterSettings.from(resolve(env)).tls();
    assertTrue(tls.enabled());
    assertEquals(key, tls.keyFile());
    assertFalse(ClusterSettings.from(resolve(Map.of())).tls().enabled(), "off by default");
  }

  @Test
  void credentialsInTheUrlCountAsAWayToAuthenticateAndAreRedacted() {
    NatsSettings settings = nats(Map.of("CHAMBERLAIN_NATS_URL", "nats://chamberlain:" + SECRET + "@n1:4222,nats://n2:4222"));
    assertInstanceOf(NatsSettings.InUrl.class, settings.auth());
    assertEquals("NatsSettings[url=nats://***@n1:4222,nats://n2:4222, auth=credentials in nats.url, tls=off]", settings.toString());
    assertEquals("NATS authentication: set at most one of user/password, token, credsFile, nkeyFile; found nats.token, "
        + "credentials in nats.url", refused(Map.of("CHAMBERLAIN_NATS_URL", "nats://u:" + SECRET + "@n1:4222",
        "CHAMBERLAIN_NATS_TOKEN", "t")));
    NatsSettings token = nats(Map.of("CHAMBERLAIN_NATS_TOKEN", SECRET));
    assertEquals("Unable to connect to NATS servers: [nats://***@host], token ***",
        token.redact("Unable to connect to NATS servers: [nats://" + SECRET + "@host], token " + SECRET));
  }

  @Test
  void nodesAndToolsReadTheSameKeys() {
    Map<String, String> env = Map.of("CHAMBERLAIN_NATS_URL", "nats://n1:4222", "CHAMBERLAIN_NATS_TOKEN", SECRET);
    NatsSettings tool = NatsSettings.fromEnvironment(env);
    NatsSettings node = WorkerConfig.from(ConfigResolver.resolve(ConfigSchema.WORKER, Map.of(), "-", env)).nats();
    assertEquals(node.url(), tool.url());
    assertEquals(((NatsSettings.Token) node.auth()).token().reveal(), ((NatsSettings.Token) tool.auth()).token().reveal());
  }

  private static ResolvedConfig resolve(Map<String, String> env) {
    return ConfigResolver.resolve(ConfigSchema.GATEWAY, Map.of(), "-", env);
  }

  private static NatsSettings nats(Map<String, String> env) {
    return resolve(env).build(NatsSettings::from);
  }

  private static String refused(Map<String, String> env) {
    String message = assertThrows(ConfigException.class, () -> nats(env)).getMessage();
    assertFalse(message.contains(SECRET), "the secret leaked into: " + message);
    return message.replaceAll(" \\((value from|the default).*\\)$", "");
  }
}
