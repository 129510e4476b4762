package io.chamberlain.tools.launch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1. Hazelcast members of one cluster get a block of consecutive ports
 * (slot i = base + i), so a node restarted in its slot is found again at the same address.
 * A port found free may be taken by someone else before it is bound; the block search keeps that
 * window short and picks a random base, so concurrent test runs rarely collide.
 */
public final class FreePorts {

  private static final int LOWEST = 20_000;
  /** Below the kernel's ephemeral range (32768+), so outgoing connections do not take a slot meanwhile. */
  private static final int HIGHEST = 32_000;
  private static final int ATTEMPTS = 200;

  private FreePorts() {
  }

  /** Any free port, chosen by the kernel. */
  public static int any() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on 127.0.0.1", e);
    }
  }

  /** The first port of {@code count} consecutive free ports. */
  public static int block(int count) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST - count);
      if (allFree(base, count)) {
        return base;
      }
    }
    throw new IllegalStateException("no " + count + " consecutive free ports between " + LOWEST + " and "
        + HIGHEST + " after " + ATTEMPTS + " attempts");
  }

  private static boolean allFree(int base, int count) {
    for (int port = base; port < base + count; port++) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }
}
