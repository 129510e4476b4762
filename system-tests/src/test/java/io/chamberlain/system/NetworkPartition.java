package io.chamberlain.system;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.FirewallingNodeContext;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.server.FirewallingServer;
import io.chamberlain.cluster.ClusteredVertx;
import io.vertx.core.eventbus.Message;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cuts all traffic between two groups of clustered nodes in this JVM, and heals it — a network
 * partition between nodes on loopback, with NATS still reachable from both groups.
 *
 * <p>Two channels connect clustered Vert.x nodes, and both are cut:
 * <ul>
 *   <li><b>Hazelcast</b> (membership, heartbeats, the subscription map, locks): every member is
 *       started with Hazelcast's own test support, {@link FirewallingNodeContext}, whose connection
 *       manager refuses to send anything to a blocked address; a split blocks each member of one
 *       group to each of the other (both ways) and closes their connections, so the members stop
 *       hearing each other and each group drops the other after Hazelcast's heartbeat timeout
 *       ({@code cluster.xml}: 5 s), exactly as on a real split. Healing unblocks: Hazelcast's
 *       split-brain handler finds the other group through the TCP-IP member list and merges.</li>
 *   <li><b>The event bus</b>, a TCP connection of its own between two nodes: until each group has
 *       dropped the other from its member list, nodes would still send to the other group over
 *       connections already open (vert.x #5202). Each node's inbound interceptor drops every message
 *       that arrives from a node of the other group while split — requests go unanswered and
 *       publications unheard, as when a network drops packets. (A proxy per node could not tell the
 *       groups apart: all nodes share 127.0.0.1, and the event bus advertises one address per node.)</li>
 * </ul>
 */
final class NetworkPartition {

  /** {@code ClusteredMessage.getSender()}: the Vert.x node id of a message from the wire (package-private). */
  private static final Method SENDER = senderMethod();

  /** Every member, by its Vert.x node id. */
  private final Map<String, HazelcastInstance> members = new ConcurrentHashMap<>();
  /** While split, the group (0 or 1) of every node; empty while whole. */
  private volatile Map<String, Integer> groups = Map.of();
  private final AtomicLong dropped = new AtomicLong();

  /**
   * How often Hazelcast's split-brain handler looks for the other group (the shipped {@code cluster.xml}:
   * every 10 s): a healed split merges at its next run. Lower for this test's members only — the merge
   * itself, and everything asserted after it, is the same.
   */
  static final String MERGE_DELAY_SECONDS = "2";

  /** How nodes under this partition's control create their Hazelcast member. */
  ClusteredVertx.MemberFactory memberFactory() {
    return config -> {
      config.setProperty("hazelcast.merge.first.run.delay.seconds", MERGE_DELAY_SECONDS);
      config.setProperty("hazelcast.merge.next.run.delay.seconds", MERGE_DELAY_SECONDS);
      return HazelcastInstanceFactory.newHazelcastInstance(config, "partitionable-" + UUID.randomUUID(),
          new FirewallingNodeContext());
    };
  }

  /** Puts a node started with {@link #memberFactory()} under control: its event bus drops the other group's messages while split. */
  void add(ClusteredVertx.Node node) {
    String nodeId = node.clusterManager().getNodeId();
    members.put(nodeId, node.clusterManager().getHazelcastInstance());
    node.vertx().eventBus().addInboundInterceptor(delivery -> {
      String sender = senderOf(delivery.message());
      if (sender != null && apart(sender, nodeId)) {
        dropped.incrementAndGet();
        return;
      }
      delivery.next();
    });
  }

  /** Cuts every node of {@code one} off from every node of {@code other} (Vert.x node ids). */
  void split(Set<String> one, Set<String> other) {
    Map<String, Integer> split = new HashMap<>();
    one.forEach(node -> split.put(node, 0));
    other.forEach(node -> split.put(node, 1));
    if (split.size() != one.size() + other.size() || !members.keySet().containsAll(split.keySet())) {
      throw new IllegalArgumentException("the groups must be disjoint sets of known nodes: " + one + " / " + other);
    }
    groups = Map.copyOf(split);
    for (String a : one) {
      for (String b : other) {
        block(a, b);
        block(b, a);
      }
    }
  }

  /** Lets all traffic through again. */
  void heal() {
    Map<String, Integer> split = groups;
    for (String a : split.keySet()) {
      for (String b : split.keySet()) {
        if (!split.get(a).equals(split.get(b))) {
          connections(a).unblock(addressOf(b));
        }
      }
    }
    groups = Map.of();
  }

  /** Event-bus messages dropped between the groups so far. */
  long droppedMessages() {
    return dropped.get();
  }

  private boolean apart(String from, String to) {
    Map<String, Integer> split = groups;
    Integer fromGroup = split.get(from);
    Integer toGroup = split.get(to);
    return fromGroup != null && toGroup != null && !fromGroup.equals(toGroup);
  }

  private void block(String from, String to) {
    FirewallingServer.FirewallingServerConnectionManager connections = connections(from);
    Address target = addressOf(to);
    connections.blockNewConnection(target);
    connections.closeActiveConnection(target);
  }

  private Address addressOf(String nodeId) {
    return members.get(nodeId).getCluster().getLocalMember().getAddress();
  }

  private FirewallingServer.FirewallingServerConnectionManager connections(String nodeId) {
    HazelcastInstance member = members.get(nodeId);
    return (FirewallingServer.FirewallingServerConnectionManager) ((HazelcastInstanceProxy) member).getOriginal().node
        .getServer().getConnectionManager(EndpointQualifier.MEMBER);
  }

  private static String senderOf(Message<?> message) {
    if (!SENDER.getDeclaringClass().isInstance(message)) {
      return null; // sent on this node
    }
    try {
      return (String) SENDER.invoke(message);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the sender of an event-bus message", e);
    }
  }

  private static Method senderMethod() {
    try {
      Method sender = Class.forName("io.vertx.core.eventbus.impl.clustered.ClusteredMessage").getDeclaredMethod("getSender");
      sender.setAccessible(true);
      return sender;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this Vert.x has no ClusteredMessage.getSender(): update NetworkPartition", e);
    }
  }
}
