package io.chamberlain.nats;

import io.chamberlain.config.NatsSettings;
import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;

/**
 * Opens the node's one NATS connection. It reconnects forever (a NATS restart must not take a
 * node down; pull consumers resume by themselves after RESUBSCRIBED) and logs every state change.
 * Blocking: call it from a worker thread. Credentials and TLS come from {@link NatsSettings} through
 * {@link NatsOptions}, as for every other NATS client of the cluster.
 */
public final class NatsConnector {

  private static final System.Logger LOG = System.getLogger(NatsConnector.class.getName());
  /**
   * How long one connect attempt may take: the socket, the TLS handshake, and the server's answer to
   * the credentials. jnats reports a refusal of the credentials only once it has waited this long.
   */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private NatsConnector() {
  }

  /** A server without authorization or TLS. */
  public static Connection connect(String urls, String connectionName) throws IOException, InterruptedException {
    return connect(NatsSettings.plain(urls), connectionName);
  }

  public static Connection connect(NatsSettings settings, String connectionName) throws IOException, InterruptedException {
    return connect(settings, connectionName, CONNECT_TIMEOUT);
  }

  /** @param connectTimeout how long each attempt may take ({@link #CONNECT_TIMEOUT} for a node) */
  public static Connection connect(NatsSettings settings, String connectionName, Duration connectTimeout)
      throws IOException, InterruptedException {
    Options options = NatsOptions.builder(settings, connectionName)
        .maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(250))
        .connectionTimeout(connectTimeout)
        .connectionListener(NatsConnector::logEvent)
        .build();
    LOG.log(System.Logger.Level.INFO, "nats: connecting [" + connectionName + "] to " + settings);
    // The first connect also retries, so a node may start before NATS does. A server that refuses the
    // credentials twice makes jnats give up and hand back a closed connection: say why, and stop.
    Connection connection = Nats.connectReconnectOnConnect(options);
    if (connection.getStatus() == Connection.Status.CLOSED) {
      throw new AuthenticationException("nats: " + settings.redact(settings.url()) + " refused connection [" + connectionName + "] with "
          + settings.auth().describe() + ": " + connection.getLastError()
          + " (check nats.user/nats.password, nats.token, nats.credsFile, nats.nkeyFile or the user info in nats.url)");
    }
    return connection;
  }

  /**
   * One attempt, no retries: for tools, so that a wrong URL or wrong credentials fail at once with
   * the server's reason (an {@link AuthenticationException}: "Authorization Violation").
   */
  public static Connection connectOnce(NatsSettings settings, String connectionName) throws IOException, InterruptedException {
    return connectOnce(settings, connectionName, CONNECT_TIMEOUT);
  }

  /** {@link #connectOnce(NatsSettings, String)} with its own bound ({@link #CONNECT_TIMEOUT} for a tool). */
  public static Connection connectOnce(NatsSettings settings, String connectionName, Duration connectTimeout)
      throws IOException, InterruptedException {
    try {
      return Nats.connect(NatsOptions.builder(settings, connectionName).connectionTimeout(connectTimeout).build());
    } catch (AuthenticationException refused) {
      throw new AuthenticationException(settings.redact(refused.getMessage()) + " (" + settings.auth().describe() + ")");
    } catch (IOException unreachable) {
      // jnats names the servers, user info of the URL included.
      throw new IOException(settings.redact(unreachable.getMessage()));
    }
  }

  private static void logEvent(Connection connection, ConnectionListener.Events event) {
    System.Logger.Level level = switch (event) {
      case DISCONNECTED, CLOSED -> System.Logger.Level.WARNING;
      default -> System.Logger.Level.INFO;
    };
    LOG.log(level, "nats: connection [" + connection.getOptions().getConnectionName() + "] " + event);
  }
}
