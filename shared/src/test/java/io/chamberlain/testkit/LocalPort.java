package io.chamberlain.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Whether a server started on this machine listens yet: the one readiness probe of the test kit's
 * {@link NatsTestServer} and the live harness's nats-server, each of which polls it within its own
 * bounded wait.
 */
public final class LocalPort {

  /**
   * A connect to 127.0.0.1 is accepted or refused at once; the bound only matters if the server's
   * backlog is full, which then counts as "not yet".
   */
  private static final int CONNECT_TIMEOUT_MILLIS = 500;

  private LocalPort() {
  }

  /** Whether 127.0.0.1:{@code port} accepts a TCP connection now (it is closed again at once). */
  public static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }
}
