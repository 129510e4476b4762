package io.chamberlain.system.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.nats.AssignmentStore;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.testkit.TestTimeouts;
import io.chamberlain.tools.launch.ChamberlainInstall;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.Subjects;
import io.chamberlain.worker.runtime.ChamberStateStore;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code nats.replicas} against real servers: on a 3-server cluster, streams, KV buckets and the
 * object store made at 1 replica are raised to 3 by the next start at {@code nats.replicas=3}, their
 * contents kept; on a single server, 3 replicas are refused with the key named.
 */
class NatsReplicasIT {

  /** Chambers whose state is written while one server is down, each a state of {@link #STATE_BYTES}. */
  private static final int CHAMBERS_WRITTEN = 2_000;
  private static final int STATE_BYTES = 4_096;

  @AfterAll
  static void noProcessSurvives() {
    NoSurvivors.assertNone();
  }

  @Test
  void storesMadeAtOneReplicaAreRaisedToThreeKeepingWhatTheyHold() throws Exception {
    try (NatsCluster cluster = threeServers();
         Connection nats = Nats.connect(cluster.urls())) {
      JetStreamSetup.ensureVerdicts(nats, 1);
      AssignmentStore.open(nats, 1).claim(null);
      JetStreamSetup.ensureTraces(nats, Duration.ofMinutes(5), 1);
      nats.jetStream().publish(Subjects.verdict(new io.chamberlain.domain.ChamberKey("tool001", "1")), "v".getBytes());

      JetStreamSetup.ensureVerdicts(nats, 3);
      AssignmentStore raised = AssignmentStore.open(nats, 3);
      JetStreamSetup.ensureTraces(nats, Duration.ofMinutes(5), 3);

      JetStreamManagement jsm = nats.jetStreamManagement();
      for (String stream : new String[] {Subjects.VERDICT_STREAM, "KV_" + Subjects.ASSIGNMENT_BUCKET, "OBJ_" + Subjects.TRACE_BUCKET}) {
        assertEquals(3, jsm.getStreamInfo(stream).getConfiguration().getReplicas(), stream);
        Await.until(stream + " current on 3 servers", TestTimeouts.seconds(30),
            () -> {
              try {
                return NatsCluster.streamCurrent(nats, stream, 3);
              } catch (Exception notYet) {
                return false;
              }
            });
      }
      assertEquals(1, jsm.getStreamInfo(Subjects.VERDICT_STREAM).getStreamState().getMsgCount(), "the verdict kept");
      assertEquals(1, jsm.getStreamInfo("KV_" + Subjects.ASSIGNMENT_BUCKET).getStreamState().getMsgCount(),
          "the assignment entry kept");
      // Read from the stream leader (it held the entry before the raise), not from a replica still catching up.
      assertFalse(jsm.getStreamInfo("KV_" + Subjects.ASSIGNMENT_BUCKET).getConfiguration().getAllowDirect(),
          "a bucket at 3 replicas is read from its leader");
      AssignmentStore.Stored kept = raised.load().orElseThrow(() -> new AssertionError("the assignment entry read back"));
      assertEquals(1, kept.term());
      assertEquals(AssignmentSnapshot.EMPTY, kept.assignment());
    }
  }

  /**
   * A server coming back catches up from the others; a client connected to it must still read every
   * write acknowledged meanwhile. A direct get (the KV default) is answered by the asking client's own
   * server once it holds a replica that is 90 % caught up (nats-server 2.9), and would answer with
   * entries from before — a chamber judged from such a state publishes a verdict from an old state.
   */
  @Test
  void aServerCatchingUpNeverAnswersAReadWithAnOlderEntry() throws Exception {
    try (NatsCluster cluster = threeServers();
         Connection any = Nats.connect(cluster.urls())) {
      ChamberStateStore.open(any, 3);
      String leader = NatsCluster.streamLeader(any, "KV_" + Subjects.CHAMBER_STATE_BUCKET);
      String behind = cluster.serverNames().stream().filter(name -> !name.equals(leader)).findFirst().orElseThrow();
      Connection writing = Nats.connect(cluster.url(leader));
      ChamberStateStore writer = ChamberStateStore.open(writing, 3);
      byte[] state = new byte[STATE_BYTES];
      long[] revisions = new long[CHAMBERS_WRITTEN];
      for (int i = 0; i < CHAMBERS_WRITTEN; i++) {
        revisions[i] = writer.save(chamber(i), state, 0);
      }
      cluster.kill9(behind);
      for (int i = 0; i < CHAMBERS_WRITTEN; i++) {
        revisions[i] = writer.save(chamber(i), state, revisions[i]);
      }
      cluster.restart(behind);
      try (Connection reading = Nats.connect(cluster.url(behind))) {
        ChamberStateStore reader = ChamberStateStore.open(reading, 3);
        List<String> stale = new ArrayList<>();
        for (int i = 0; i < CHAMBERS_WRITTEN; i++) {
          long read = reader.revision(chamber(i));
          if (read != revisions[i]) {
            stale.add(chamber(i) + " written at " + revisions[i] + ", read at " + read);
          }
        }
        assertTrue(stale.isEmpty(), stale.size() + " of " + CHAMBERS_WRITTEN + " reads through " + behind
            + " answered with an older entry, e.g. " + stale.subList(0, Math.min(5, stale.size())));
      } finally {
        writing.close();
      }
    }
  }

  /** Three nats-servers as one JetStream cluster, in a directory of their own. */
  private static NatsCluster threeServers() throws IOException {
    return NatsCluster.configure(ChamberlainInstall.locate().natsServer(), Files.createTempDirectory("nats-replicas-"), 3, 1)
        .start(p -> p);
  }

  private static ChamberKey chamber(int i) {
    return new ChamberKey("tool001", Integer.toString(i + 1));
  }

  /**
   * A node that opened a bucket while it took direct gets keeps reading it after another node raised
   * it to 3 replicas and turned them off: jnats remembers per JVM how a stream is read, and asks again
   * only when a read finds no server answering ({@link io.chamberlain.nats.KeyValueReads}). From
   * nats-server 2.10 on, turning direct gets off stops every server answering them at once (2.9 keeps
   * the old answerers until they restart); the bucket re-created without them, past this JVM's
   * remembered settings, stands in for that here.
   */
  @Test
  void aNodeThatOpenedABucketBeforeItWasRaisedStillReadsIt() throws Exception {
    try (NatsCluster cluster = threeServers();
         Connection nats = Nats.connect(cluster.urls())) {
      AssignmentStore opened = AssignmentStore.open(nats, 1);
      opened.claim(null);
      String stream = "KV_" + Subjects.ASSIGNMENT_BUCKET;
      String entrySubject = "$KV." + Subjects.ASSIGNMENT_BUCKET + "." + Subjects.ASSIGNMENT_KEY;
      byte[] entry = nats.jetStreamManagement().getLastMessage(stream, entrySubject).getData();
      StreamConfiguration raised = StreamConfiguration.builder(nats.jetStreamManagement().getStreamInfo(stream).getConfiguration())
          .replicas(3).allowDirect(false).build();
      streamApi(nats, "$JS.API.STREAM.DELETE." + stream, null);
      streamApi(nats, "$JS.API.STREAM.CREATE." + stream, raised.toJson().getBytes(StandardCharsets.UTF_8));
      nats.jetStream().publish(entrySubject, entry);

      AssignmentStore.Stored kept = opened.load().orElseThrow(() -> new AssertionError("the assignment entry read back"));
      assertEquals(1, kept.term());
    }
  }

  /** A JetStream API call straight on the connection, so jnats does not learn the stream's new settings. */
  private static void streamApi(Connection nats, String subject, byte[] body) throws InterruptedException {
    Message answer = nats.request(subject, body, TestTimeouts.seconds(10));
    String text = answer == null ? null : new String(answer.getData(), StandardCharsets.UTF_8);
    assertTrue(text != null && !text.contains("\"error\""), subject + " answered " + text);
  }

  @Test
  void aSingleServerRefusesThreeReplicasNamingTheKey() throws Exception {
    try (NatsTestServer server = NatsTestServer.start(); Connection nats = Nats.connect(server.url())) {
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> JetStreamSetup.ensureVerdicts(nats, 3));
      assertTrue(refused.getMessage().contains("nats.replicas=3") && refused.getMessage().contains(Subjects.VERDICT_STREAM),
          refused.getMessage());
      JetStreamSetup.ensureVerdicts(nats, 1);
      IllegalStateException raise = assertThrows(IllegalStateException.class, () -> AssignmentStore.open(nats, 3));
      assertTrue(raise.getMessage().contains("nats.replicas=3"), raise.getMessage());
      AssignmentStore.open(nats, 1);
      assertTrue(nats.jetStreamManagement().getStreamInfo("KV_" + Subjects.ASSIGNMENT_BUCKET).getConfiguration().getAllowDirect(),
          "one replica: its server is the leader, direct gets stay");
    }
  }
}
