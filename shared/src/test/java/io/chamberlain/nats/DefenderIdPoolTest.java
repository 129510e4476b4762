package io.chamberlain.nats;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.config.ConfigException;
import io.chamberlain.config.IdPoolSettings;
import io.chamberlain.testkit.NatsTestServer;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The defender id pool against a real nats-server, as docker compose uses it: scaled workers get
 * distinct ids, a recreated one gets the released id back, a killed one's claim expires, and a
 * holder that was cut off while its id was taken learns it lost it.
 */
class DefenderIdPoolTest {

  private static final IdPoolSettings POOL = new IdPoolSettings(3, "defender-");
  private NatsTestServer server;
  private Connection nats;

  @BeforeEach
  void start() throws Exception {
    server = NatsTestServer.start();
    nats = Nats.connect(server.url());
  }

  @AfterEach
  void stop() throws Exception {
    nats.close();
    server.close();
  }

  @Test
  void scaledWorkersClaimDistinctIdsAndARecreatedOneGetsItsIdBack() throws Exception {
    DefenderIdPool pool = DefenderIdPool.open(nats);
    DefenderIdPool.Held a = pool.claim(POOL, "container-a", 1);
    DefenderIdPool.Held b = pool.claim(POOL, "container-b", 2);
    DefenderIdPool.Held c = pool.claim(POOL, "container-c", 3);
    assertEquals("defender-1 defender-2 defender-3", a.id() + " " + b.id() + " " + c.id());
    IllegalStateException full = assertThrows(IllegalStateException.class, () -> pool.claim(POOL, "container-d", 4));
    assertTrue(full.getMessage().contains("defender.idPool.size"), full.getMessage());

    b.release(); // docker compose up: the old container stops gracefully …
    DefenderIdPool.Held recreated = pool.claim(POOL, "container-b2", 5); // … and its replacement starts
    assertEquals("defender-2", recreated.id());
    assertEquals("container-b2", pool.holderOf("defender-2").holder());
    assertTrue(recreated.refresh());
    assertFalse(b.refresh(), "the old holder's claim is gone for good");
  }

  @Test
  void aKilledWorkersClaimExpiresAndACutOffHolderLearnsItLostItsId() throws Exception {
    DefenderIdPool pool = DefenderIdPool.open(nats, Duration.ofSeconds(1));
    DefenderIdPool.Held killed = pool.claim(POOL, "killed", 1);
    await().atMost(seconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> pool.holderOf(killed.id()) == null);
    DefenderIdPool.Held next = pool.claim(POOL, "next", 2);
    assertEquals(killed.id(), next.id(), "the expired id is free again");
    assertFalse(killed.refresh(), "cut off past the claim's life while another took the id: lost");
    assertTrue(next.refresh());
  }

  @Test
  void aHolderWhoseClaimExpiredUnclaimedKeepsIt() throws Exception {
    DefenderIdPool pool = DefenderIdPool.open(nats, Duration.ofSeconds(1));
    DefenderIdPool.Held held = pool.claim(POOL, "slow", 1);
    await().atMost(seconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> pool.holderOf(held.id()) == null);
    assertTrue(held.refresh(), "nobody took it meanwhile: claimed again");
    assertEquals("slow", pool.holderOf(held.id()).holder());
  }

  @Test
  void badPoolSettingsNameTheKey() {
    assertTrue(assertThrows(ConfigException.class, () -> new IdPoolSettings(-1, "d-")).getMessage()
        .contains("defender.idPool.size"));
    assertTrue(assertThrows(ConfigException.class, () -> new IdPoolSettings(3, "bad id ")).getMessage()
        .contains("defender.idPool.prefix"));
    assertFalse(new IdPoolSettings(0, "").enabled());
  }

  @Test
  void theClaimOnTheWireMatchesItsGoldenJson() throws Exception {
    DefenderIdPool.Held held = DefenderIdPool.open(nats).claim(POOL, "4f1c2a9e7b3d", 1_700_000_000_000L);
    byte[] stored = nats.keyValue(Subjects.DEFENDER_ID_BUCKET).get(held.id()).getValue();
    try (var in = DefenderIdPoolTest.class.getResourceAsStream("/golden/defender-id-claim.json")) {
      String golden = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      assertEquals(golden, new String(stored, StandardCharsets.UTF_8));
      assertEquals(new DefenderIdPool.Claim("4f1c2a9e7b3d", 1_700_000_000_000L),
          DefenderIdPool.Claim.fromBytes(golden.getBytes(StandardCharsets.UTF_8)));
    }
    assertNull(DefenderIdPool.open(nats).holderOf("defender-3"));
  }
}
