package io.chamberlain.cluster;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.config.ClusterSettings;
import io.chamberlain.config.TlsSettings;
import io.chamberlain.testkit.TestCertificates;
import io.chamberlain.testkit.TestClusters;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event bus between nodes over mutual TLS ({@code cluster.tls.*}): two nodes with certificates
 * from the cluster's CA exchange a request and its reply; a node of the same Hazelcast cluster whose
 * certificate another CA signed, and one without TLS, reach nobody — their requests fail (bounded by
 * the send timeout) and the receiving handler never sees them.
 */
class EventBusTlsTest {

  private static final String ADDRESS = "chamberlain.test.tls-echo";

  @TempDir
  Path dir;

  private final List<ClusteredVertx.Node> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() throws Exception {
    for (ClusteredVertx.Node node : nodes) {
      node.closeAfter(io.vertx.core.Future.succeededFuture()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void onlyNodesWithACertificateFromTheClustersCaTalk() throws Exception {
    TestCertificates ca = TestCertificates.newAuthority(dir, "cluster");
    TestCertificates rogue = TestCertificates.newAuthority(dir, "rogue");
    TlsSettings member0 = tls(ca.caFile(), ca.issue("node-0"));
    TlsSettings member1 = tls(ca.caFile(), ca.issue("node-1"));
    TlsSettings impostor = tls(rogue.caFile(), rogue.issue("node-2"));
    TestClusters cluster = new TestClusters(4);
    ClusteredVertx.Node receiver = start(cluster.member(0).withTls(member0));
    ClusteredVertx.Node peer = start(cluster.member(1).withTls(member1));
    ClusteredVertx.Node withForeignCertificate = start(cluster.member(2).withTls(impostor));
    ClusteredVertx.Node plain = start(cluster.member(3));
    await("4 members").atMost(seconds(60)).until(() ->
        receiver.clusterManager().getHazelcastInstance().getCluster().getMembers().size() == 4);

    AtomicInteger received = new AtomicInteger();
    MessageConsumer<String> echo = receiver.vertx().eventBus().<String>consumer(ADDRESS, message -> {
      received.incrementAndGet();
      message.reply("echo:" + message.body());
    });
    echo.completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    // The registration travels through Hazelcast (plain), so the peer may need a moment to see it.
    await("a request from a node with the cluster's certificate is answered").atMost(seconds(60)).ignoreExceptions()
        .until(() -> "echo:hello".equals(request(peer, "hello")));
    int answered = received.get();

    // Both outsiders ask at once: each request fails only when its send timeout is up, so one after
    // the other they would wait it out twice.
    List<CompletableFuture<String>> outsiders = List.of(sendRequest(withForeignCertificate, "let me in"),
        sendRequest(plain, "let me in"));
    for (CompletableFuture<String> outsider : outsiders) {
      ExecutionException refused = assertThrows(ExecutionException.class, () -> answerOf(outsider));
      assertTrue(refused.getCause() instanceof io.vertx.core.eventbus.ReplyException, String.valueOf(refused.getCause()));
    }
    assertEquals(answered, received.get(), "the receiver's handler saw a request from a node outside the CA");
    assertEquals("echo:again", request(peer, "again"), "the cluster's own nodes still talk");
  }

  private ClusteredVertx.Node start(ClusterSettings settings) throws Exception {
    ClusteredVertx.Node node = ClusteredVertx.start(settings, 1, false).toCompletionStage().toCompletableFuture()
        .get(seconds(60).toMillis(), TimeUnit.MILLISECONDS);
    nodes.add(node);
    return node;
  }

  /** A request and its answer. */
  private static String request(ClusteredVertx.Node from, String body) throws Exception {
    return answerOf(sendRequest(from, body));
  }

  /** A request with a short send timeout: a refused TLS handshake shows as no reply in time. */
  private static CompletableFuture<String> sendRequest(ClusteredVertx.Node from, String body) {
    return from.vertx().eventBus().<String>request(ADDRESS, body, new DeliveryOptions().setSendTimeout(seconds(5).toMillis()))
        .map(reply -> reply.body())
        .toCompletionStage().toCompletableFuture();
  }

  private static String answerOf(CompletableFuture<String> request) throws Exception {
    return request.get(seconds(30).toMillis(), TimeUnit.MILLISECONDS);
  }

  private static TlsSettings tls(Path caFile, TestCertificates.Pem pem) {
    return new TlsSettings("cluster.tls", true, caFile, pem.certFile(), pem.keyFile());
  }
}
