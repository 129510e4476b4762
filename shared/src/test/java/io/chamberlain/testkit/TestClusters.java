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

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
