package io.chamberlain.nats;

import io.chamberlain.config.NatsSettings;
import io.chamberlain.config.TlsSettings;
import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.ErrorListenerLoggerImpl;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;

/**
 * The one translation of {@link NatsSettings} into jnats {@link Options}: every process that talks to
 * NATS (nodes, collector, tools, the live harness) builds its options here, so they all authenticate
 * and verify the server the same way. Never enable jnats' {@code traceConnection()}: it logs the
 * CONNECT line, which carries the password or token.
 */
public final class NatsOptions {

  private NatsOptions() {
  }

  /** Servers, name, credentials and TLS; the caller adds its reconnect policy and listeners. */
  public static Options.Builder builder(NatsSettings settings, String connectionName) {
    Options.Builder builder = new Options.Builder()
        .servers(settings.url().split(","))
        .connectionName(connectionName)
        .errorListener(new RedactingErrorListener(settings));
    switch (settings.auth()) {
      case NatsSettings.NoAuth none -> { }
      case NatsSettings.InUrl inUrl -> { } // jnats reads user info from the URL itself
      case NatsSettings.UserPassword user ->
          builder.userInfo(user.user().toCharArray(), user.password().reveal().toCharArray());
      case NatsSettings.Token token -> builder.token(token.token().reveal().toCharArray());
      case NatsSettings.CredsFile creds -> builder.authHandler(Nats.credentials(creds.file().toString()));
      case NatsSettings.NKeySeedFile seed -> builder.authHandler(nkeyHandler(seed.file()));
    }
    if (settings.tls().enabled()) {
      builder.sslContext(sslContext(settings.tls()));
    }
    return builder;
  }

  /**
   * jnats' own logging of server errors and exceptions, with the settings' secrets taken out first
   * (its "Unable to connect to NATS servers: [...]" names the server URLs, user info included).
   */
  private static final class RedactingErrorListener extends ErrorListenerLoggerImpl {

    private final NatsSettings settings;

    RedactingErrorListener(NatsSettings settings) {
      this.settings = settings;
    }

    @Override
    public void errorOccurred(Connection connection, String error) {
      super.errorOccurred(connection, settings.redact(error));
    }

    @Override
    public void exceptionOccurred(Connection connection, Exception exception) {
      String text = String.valueOf(exception);
      String redacted = settings.redact(text);
      super.exceptionOccurred(connection, redacted.equals(text) ? exception : new java.io.IOException(redacted));
    }
  }

  /**
   * A client {@link SSLContext} from PEM files (Netty's reader, the one the event bus uses too): trusts
   * {@code caFile} (else the JVM's trust store), presents {@code certFile}/{@code keyFile} if set, and
   * checks that the server's certificate names the host in {@code nats.url}.
   */
  static SSLContext sslContext(TlsSettings tls) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
      if (tls.caFile() != null) {
        builder.trustManager(tls.caFile().toFile());
      }
      if (tls.hasClientCertificate()) {
        builder.keyManager(tls.certFile().toFile(), tls.keyFile().toFile());
      }
      return HostCheckingSslContext.wrap(((JdkSslContext) builder.build()).context());
    } catch (IOException | RuntimeException e) {
      // Names the files, never their content; Netty's message says which part was not PEM.
      throw new IllegalArgumentException(tls.prefix() + ": could not load the PEM files (caFile " + tls.caFile()
          + ", certFile " + tls.certFile() + ", keyFile " + tls.keyFile() + "; the key must be PKCS#8): " + e.getMessage(), e);
    }
  }

  /** nats-server {@code users = [{nkey: U…}]}: answer the server's nonce with the seed's signature. */
  private static AuthHandler nkeyHandler(Path seedFile) {
    NKey key;
    try {
      key = NKey.fromSeed(Files.readString(seedFile, StandardCharsets.UTF_8).strip().toCharArray());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("nats.nkeyFile '" + seedFile + "' does not hold an NKey seed ("
          + e.getClass().getSimpleName() + ")");
    }
    return new AuthHandler() {
      @Override
      public byte[] sign(byte[] nonce) {
        try {
          return key.sign(nonce);
        } catch (GeneralSecurityException | IOException e) {
          throw new IllegalStateException("nats: could not sign with the NKey of nats.nkeyFile", e);
        }
      }

      @Override
      public char[] getID() {
        try {
          return key.getPublicKey();
        } catch (GeneralSecurityException | IOException e) {
          throw new IllegalStateException("nats: could not derive the public key of nats.nkeyFile", e);
        }
      }

      @Override
      public char[] getJWT() {
        return null;
      }
    };
  }
}
