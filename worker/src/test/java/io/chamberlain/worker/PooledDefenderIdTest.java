package io.chamberlain.worker;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.chamberlain.config.IdPoolSettings;
import io.chamberlain.nats.DefenderIdPool;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A worker's pooled id on a real nats-server: held while it runs, freed by its stop, and a lost id stops it. */
class PooledDefenderIdTest {

  private static final IdPoolSettings POOL = new IdPoolSettings(4, "defender-");
  private NatsTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = NatsTestServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void aStoppedWorkersIdGoesToItsReplacementWhileTheOthersKeepTheirs() throws Exception {
    Runnable neverLost = () -> {
      throw new AssertionError("no id was lost");
    };
    try (PooledDefenderId a = PooledDefenderId.claim(io.chamberlain.config.NatsSettings.plain(server.url()), POOL, "a", neverLost, 50);
         PooledDefenderId b = PooledDefenderId.claim(io.chamberlain.config.NatsSettings.plain(server.url()), POOL, "b", neverLost, 50)) {
      assertNotEquals(a.id(), b.id());
      String bId = b.id();
      b.close();
      try (PooledDefenderId replacement = PooledDefenderId.claim(io.chamberlain.config.NatsSettings.plain(server.url()), POOL, "b2", neverLost, 50)) {
        assertEquals(bId, replacement.id(), "recreated: same defender");
      }
    }
  }

  @Test
  void aWorkerWhoseIdAnotherProcessTookStops() throws Exception {
    AtomicBoolean lost = new AtomicBoolean();
    try (PooledDefenderId cutOff = PooledDefenderId.claim(io.chamberlain.config.NatsSettings.plain(server.url()), POOL, "cut-off", () -> lost.set(true), 50);
         Connection nats = Nats.connect(server.url())) {
      // As if its claim had expired while it was cut off, and another worker claimed the id — in one
      // write: a purge and a claim apart would let the holder's 50 ms refresh take the free id back first.
      nats.keyValue(Subjects.DEFENDER_ID_BUCKET).put(cutOff.id(), new DefenderIdPool.Claim("other", 1).toBytes());
      await().atMost(seconds(10)).untilTrue(lost);
      assertEquals("other", DefenderIdPool.open(nats).holderOf(cutOff.id()).holder());
    }
  }
}
