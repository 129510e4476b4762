package io.chamberlain.testkit;

import io.chamberlain.config.ClusterSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Cluster settings for tests: a unique cluster name per test (tests never join each other),
 * Hazelcast on 127.0.0.1 with TCP-IP discovery over free ports picked up front.
 */
public final class TestClusters {

  private final String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Integer> ports;

  public TestClusters(int members) throws IOException {
    ports = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      ports.add(freePort());
    }
  }

  public String name() {
    return name;
  }

  /** Settings of member {@code index} (0-based); every member lists all the others. */
  public ClusterSettings member(int index) {
    List<String> members = ports.stream().map(port -> "127.0.0.1:" + port).toList();
    return new ClusterSettings(name, "127.0.0.1", ports.get(index), false, members);
  }

  public int port(int index) {
    return ports.get(index);
  }

  /** Below Linux's ephemeral range (32768–60999), where no outgoing connection or port-0 bind lands. */
  private static final int FIRST_PICKED_PORT = 20_000;
  private static final int PICKED_PORTS = 12_000;
  private static final int MAX_TRIES = 500;

  /**
   * A port free now, picked below the ephemeral range: a port picked up front and bound later can be
   * taken meanwhile by any outgoing connection or port-0 bind if it comes from that range (a fresh-clone
   * CI run lost a Hazelcast member to one); outside it only another deliberate pick can take it.
   */
  public static int freePort() throws IOException {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
      int port = FIRST_PICKED_PORT + random.nextInt(PICKED_PORTS);
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
