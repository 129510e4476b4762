package io.chamberlain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.testkit.TestTimeouts;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.ChamberRegistrations;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A burst of unknown chambers reaches the leader as a few registrations, each chamber once per second;
 * what the announcer remembers is bounded by the last second's announcements.
 */
class ChamberAnnouncerTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<ChamberRegistrations> sent = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private ChamberAnnouncer announcer() {
    vertx.eventBus().<JsonObject>consumer(Addresses.CHAMBER_REGISTER, m -> sent.add(ChamberRegistrations.fromJson(m.body())));
    return new ChamberAnnouncer(vertx);
  }

  private static ChamberKey chamber(int i) {
    return new ChamberKey("new" + i, "1");
  }

  private int announced() {
    return sent.stream().mapToInt(r -> r.chambers().size()).sum();
  }

  @Test
  void aThousandNewChambersGoAsAFewBatchesOfEachChamberOnce() {
    ChamberAnnouncer announcer = announcer();
    vertx.runOnContext(v -> {
      for (int i = 0; i < 1_000; i++) {
        announcer.unknown(chamber(i), 0);
        announcer.unknown(chamber(i), 10); // its next event, moments later: not again
      }
    });
    Awaitility.await().atMost(TestTimeouts.seconds(5)).until(() -> announced() == 1_000);
    assertEquals(2, sent.size(), "batches of " + ChamberAnnouncer.MAX_BATCH);
  }

  @Test
  void aChamberStillUnknownIsAnnouncedAgainAfterASecondAndForgottenOnceKnown() {
    ChamberAnnouncer announcer = announcer();
    vertx.runOnContext(v -> announcer.unknown(chamber(1), 0));
    Awaitility.await().atMost(TestTimeouts.seconds(5)).until(() -> announced() == 1);
    vertx.runOnContext(v -> {
      announcer.unknown(chamber(1), 500);
      announcer.unknown(chamber(1), ChamberAnnouncer.REPEAT_MILLIS); // no leader took it yet: again
    });
    Awaitility.await().atMost(TestTimeouts.seconds(5)).until(() -> announced() == 2);
    vertx.runOnContext(v -> {
      announcer.known(chamber(1));
      announcer.unknown(chamber(1), ChamberAnnouncer.REPEAT_MILLIS + 1); // removed and back: announced at once
    });
    Awaitility.await().atMost(TestTimeouts.seconds(5)).until(() -> announced() == 3);
  }

  @Test
  void itRemembersOnlyTheLastSecondsAnnouncementsNotEveryChamberItEverAnnounced() throws Exception {
    ChamberAnnouncer announcer = announcer();
    CompletableFuture<int[]> remembered = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      // 20 s of a new chamber every ms that never becomes known here (its lane moved to another gateway)
      int most = 0;
      for (int i = 0; i < 20_000; i++) {
        announcer.unknown(chamber(i), i);
        most = Math.max(most, announcer.remembered());
      }
      remembered.complete(new int[] {most, announcer.remembered()});
    });
    int[] counts = remembered.get(10, TimeUnit.SECONDS);
    assertEquals((int) ChamberAnnouncer.REPEAT_MILLIS, counts[0], "at most the last second's chambers, not 20,000");
    assertEquals((int) ChamberAnnouncer.REPEAT_MILLIS, counts[1]);
    Awaitility.await().atMost(TestTimeouts.seconds(5)).until(() -> announced() == 20_000);
  }
}
