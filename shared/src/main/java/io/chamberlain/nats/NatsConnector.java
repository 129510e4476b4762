package io.chamberlain.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;

/**
 * Opens the node's one NATS connection. It reconnects forever (a NATS restart must not take a
 * node down; pull consumers resume by themselves after RESUBSCRIBED) and logs every state change.
 * Blocking: call it from a worker thread.
 */
public final class NatsConnector {

  private static final System.Logger LOG = System.getLogger(NatsConnector.class.getName());

  private NatsConnector() {
  }

  public static Connection connect(String urls, String connectionName) throws IOException, InterruptedException {
    Options options = new Options.Builder()
        .servers(urls.split(","))
        .connectionName(connectionName)
        .maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(250))
        .connectionTimeout(Duration.ofSeconds(5))
        .connectionListener(NatsConnector::logEvent)
        .build();
    // The first connect also retries, so a node may start before NATS does.
    return Nats.connectReconnectOnConnect(options);
  }

  private static void logEvent(Connection connection, ConnectionListener.Events event) {
    System.Logger.Level level = switch (event) {
      case DISCONNECTED, CLOSED -> System.Logger.Level.WARNING;
      default -> System.Logger.Level.INFO;
    };
    LOG.log(level, "nats: connection [" + connection.getOptions().getConnectionName() + "] " + event);
  }
}
