package io.chamberlain.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How every process of a cluster (nodes, collector, tools, the live harness) connects to NATS: the
 * server URL(s), at most one way to authenticate, and TLS. Pure: the shared module turns it into the
 * client's options. Secret values are {@link Secret}s and secret files are read once, here, so that
 * neither this record's {@code toString} nor any error about it shows a password, token or seed.
 */
public record NatsSettings(String url, Auth auth, TlsSettings tls) {

  /** How the client proves who it is to nats-server. */
  public sealed interface Auth {
    /** Human-readable, never the secret: for logs and errors. */
    String describe();
  }

  /** No credentials (a server without authorization). */
  public record NoAuth() implements Auth {
    @Override
    public String describe() {
      return "no credentials";
    }
  }

  /** nats-server {@code authorization { users = [{user, password}] }}. */
  public record UserPassword(String user, Secret password) implements Auth {
    @Override
    public String describe() {
      return "user [" + user + "]";
    }
  }

  /** nats-server {@code authorization { token }}. */
  public record Token(Secret token) implements Auth {
    @Override
    public String describe() {
      return "token";
    }
  }

  /** User and password or token inside {@code nats.url} ({@code nats://user:password@host:4222}). */
  public record InUrl() implements Auth {
    @Override
    public String describe() {
      return "credentials in nats.url";
    }
  }

  /** A {@code .creds} file: user JWT plus the user's NKey seed (operator/decentralized mode). */
  public record CredsFile(Path file) implements Auth {
    @Override
    public String describe() {
      return "credentials file [" + file + "]";
    }
  }

  /** A file holding only a user NKey seed ({@code SU…}): nats-server {@code users = [{nkey: U…}]}. */
  public record NKeySeedFile(Path file) implements Auth {
    @Override
    public String describe() {
      return "NKey seed file [" + file + "]";
    }
  }

  /** The user-info part of a URL ({@code //user:password@}): a secret as much as nats.password. */
  private static final java.util.regex.Pattern URL_USER_INFO = java.util.regex.Pattern.compile("(//)([^/@\\s,]+)@");

  public NatsSettings {
    Validation.notBlank("nats.url", url);
    if (auth == null) {
      auth = new NoAuth();
    }
    if (tls == null) {
      tls = TlsSettings.off("nats.tls");
    }
  }

  /** A server without authorization or TLS (tests, the demo). */
  public static NatsSettings plain(String url) {
    return new NatsSettings(url, new NoAuth(), TlsSettings.off("nats.tls"));
  }

  public NatsSettings withUrl(String otherUrl) {
    return new NatsSettings(otherUrl, auth, tls);
  }

  /**
   * Reads the {@code nats.*} keys. At most one way to authenticate; a secret either inline or in a
   * file ({@code nats.password} or {@code nats.passwordFile}), never both; every named file exists
   * and is readable.
   */
  public static NatsSettings from(ResolvedConfig c) {
    String user = c.string("nats.user");
    Secret password = secret(c, "nats.password", "nats.passwordFile");
    Secret token = secret(c, "nats.token", "nats.tokenFile");
    Path creds = PathChecks.optionalFile("nats.credsFile", c.string("nats.credsFile"));
    Path nkey = PathChecks.optionalFile("nats.nkeyFile", c.string("nats.nkeyFile"));
    if (!user.isBlank() && password == null) {
      throw new ConfigException("nats.user is set but neither nats.password nor nats.passwordFile is");
    }
    if (user.isBlank() && password != null) {
      throw new ConfigException("nats.password" + (c.string("nats.password").isBlank() ? "File" : "")
          + " is set but nats.user is not");
    }
    List<String> methods = new ArrayList<>();
    if (!user.isBlank()) {
      methods.add("nats.user/nats.password");
    }
    if (token != null) {
      methods.add("nats.token");
    }
    if (creds != null) {
      methods.add("nats.credsFile");
    }
    if (nkey != null) {
      methods.add("nats.nkeyFile");
    }
    if (URL_USER_INFO.matcher(c.string("nats.url")).find()) {
      methods.add("credentials in nats.url");
    }
    if (methods.size() > 1) {
      throw new ConfigException("NATS authentication: set at most one of user/password, token, credsFile, nkeyFile; "
          + "found " + String.join(", ", methods));
    }
    Auth auth = !user.isBlank() ? new UserPassword(user, password)
        : token != null ? new Token(token)
        : creds != null ? new CredsFile(creds)
        : nkey != null ? new NKeySeedFile(nkey)
        : methods.isEmpty() ? new NoAuth() : new InUrl();
    return new NatsSettings(c.string("nats.url"), auth, TlsSettings.from(c, "nats.tls", false));
  }

  /**
   * The {@code nats.*} keys from the environment alone ({@code CHAMBERLAIN_NATS_URL}, {@code
   * CHAMBERLAIN_NATS_PASSWORD_FILE}, …): how the tools beside a cluster connect as its nodes do.
   */
  public static NatsSettings fromEnvironment(java.util.Map<String, String> env) {
    return ConfigResolver.resolve(ConfigSchema.NATS, java.util.Map.of(), "(no config file)", env).build(NatsSettings::from);
  }

  private static Secret secret(ResolvedConfig c, String inlineKey, String fileKey) {
    String inline = c.string(inlineKey);
    String file = c.string(fileKey);
    if (!inline.isEmpty() && !file.isBlank()) {
      throw new ConfigException(inlineKey + " and " + fileKey + " are both set: keep one");
    }
    if (!file.isBlank()) {
      return Secret.fromFile(fileKey, Path.of(file.strip()));
    }
    return inline.isEmpty() ? null : Secret.of(inline);
  }

  /**
   * {@code text} with every secret of these settings — the password, the token, the user info of a
   * URL — replaced by {@code ***}: for whatever a client library reports (errors name the servers).
   */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String redacted = URL_USER_INFO.matcher(text).replaceAll("$1***@");
    Secret secret = switch (auth) {
      case UserPassword user -> user.password();
      case Token token -> token.token();
      default -> null;
    };
    return secret == null ? redacted : redacted.replace(secret.reveal(), "***");
  }

  @Override
  public String toString() {
    return "NatsSettings[url=" + redact(url) + ", auth=" + auth.describe() + ", tls=" + (tls.enabled() ? "on" : "off") + "]";
  }
}
