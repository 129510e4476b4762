package io.chamberlain.cluster;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One-line log format for every node (time, level, message; messages start with their component,
 * e.g. {@code leader: chamber [tool001:1] → [defender-3] (epoch 42)}), and Hazelcast's chatter
 * limited to warnings. Explicit {@code java.util.logging} settings given on the command line win.
 */
public final class NodeLogging {

  // Held strongly: java.util.logging forgets the level of a logger nobody references.
  private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");
  private static final Logger NETTY = Logger.getLogger("io.netty");
  // "CP Subsystem is not enabled": known and intended; ownership is fenced by epochs, not by CP.
  private static final Logger HAZELCAST_CP = Logger.getLogger("com.hazelcast.cp");

  private NodeLogging() {
  }

  public static void init() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$-7s %5$s%6$s%n");
    }
    if (System.getProperty("java.util.logging.config.file") == null) {
      HAZELCAST.setLevel(Level.WARNING);
      NETTY.setLevel(Level.WARNING);
      HAZELCAST_CP.setLevel(Level.SEVERE);
    }
  }
}
