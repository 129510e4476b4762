package io.chamberlain.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.gateway.ChamberSequencer.Admission;
import io.chamberlain.gateway.ChamberSequencer.Item;
import io.chamberlain.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChamberSequencerTest {

  private static final ChamberKey A = ChamberKey.parse("tool:a");
  private static final ChamberKey B = ChamberKey.parse("tool:b");
  private final ChamberSequencer<String> sequencer = new ChamberSequencer<>();

  @Test
  void oneInFlightPerChamberInStreamOrderWhileChambersRunIndependently() {
    sequencer.admit(item(A, 1));
    sequencer.admit(item(A, 3));
    sequencer.admit(item(B, 2));
    assertEquals(1, sequencer.next(A).orElseThrow().streamSequence());
    assertTrue(sequencer.next(A).isEmpty(), "a chamber has at most one event in flight");
    assertEquals(2, sequencer.next(B).orElseThrow().streamSequence());
    sequencer.completed(A);
    assertEquals(3, sequencer.next(A).orElseThrow().streamSequence());
  }

  @Test
  void eventsBehindARedeliveredOneAreDeferredUntilItIsBack() {
    sequencer.admit(item(A, 1));
    sequencer.admit(item(A, 2));
    sequencer.next(A);
    List<Item<String>> followers = sequencer.deferInFlight(A);
    assertEquals(List.of(2L), followers.stream().map(Item::streamSequence).toList());
    assertEquals(Admission.DEFERRED, sequencer.admit(item(A, 4)), "newer event arrives while 1 is away");
    assertEquals(Admission.DEFERRED, sequencer.admit(item(A, 2)), "2 comes back before 1");
    assertEquals(Admission.QUEUED, sequencer.admit(item(A, 1)), "1 comes back");
    assertEquals(1, sequencer.next(A).orElseThrow().streamSequence());
    sequencer.completed(A);
    assertTrue(sequencer.next(A).isEmpty());
    assertEquals(Admission.DEFERRED, sequencer.admit(item(A, 4)), "4 is back, but 2 is still away");
    assertEquals(Admission.QUEUED, sequencer.admit(item(A, 2)));
    assertEquals(Admission.QUEUED, sequencer.admit(item(A, 4)));
    assertEquals(2, sequencer.next(A).orElseThrow().streamSequence());
    sequencer.completed(A);
    assertEquals(4, sequencer.next(A).orElseThrow().streamSequence());
  }

  @Test
  void aCopyOfTheEventInFlightIsRecognised() {
    sequencer.admit(item(A, 5));
    sequencer.next(A);
    assertEquals(Admission.ALREADY_IN_FLIGHT, sequencer.admit(item(A, 5)));
    assertEquals(5, sequencer.inFlight(A).orElseThrow().streamSequence(), "the copy's caller finds the one in flight");
    assertTrue(sequencer.inFlight(B).isEmpty());
  }

  /** A consumer reset delivers every held event again: queued ones are replaced by their new copy, order unchanged. */
  @Test
  void eventsDeliveredAgainAfterAResetKeepTheirOrderAndTheNewestCopy() {
    sequencer.admit(new Item<>(A, 1, "first copy of 1"));
    sequencer.admit(new Item<>(A, 2, "first copy of 2"));
    sequencer.next(A);
    assertEquals(Admission.ALREADY_IN_FLIGHT, sequencer.admit(new Item<>(A, 1, "second copy of 1")));
    assertEquals(Admission.QUEUED, sequencer.admit(new Item<>(A, 2, "second copy of 2")));
    sequencer.completed(A);
    Item<String> next = sequencer.next(A).orElseThrow();
    assertEquals("second copy of 2", next.payload());
    sequencer.completed(A);
    assertTrue(sequencer.next(A).isEmpty(), "each event once");
  }

  @Test
  void completingWithoutAnEventInFlightIsAnError() {
    assertTrue(assertThrows(IllegalStateException.class, () -> sequencer.completed(A))
        .getMessage().contains("tool:a has no event in flight"));
  }

  /**
   * Random redelivery storms: whatever order JetStream redelivers in, each chamber's events are
   * dispatched in stream order and each exactly once.
   */
  @Test
  void randomRedeliveriesNeverBreakPerChamberOrder() {
    long seed = Seeds.base("ChamberSequencerTest", 73L);
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 200; round++) {
      ChamberSequencer<String> lanes = new ChamberSequencer<>();
      List<Long> redeliveries = new ArrayList<>();
      List<Long> dispatched = new ArrayList<>();
      long nextNew = 1;
      int events = 30;
      for (int step = 0; step < 10_000 && dispatched.size() < events; step++) {
        boolean deliverNew = nextNew <= events && (redeliveries.isEmpty() || random.nextBoolean());
        long sequence = deliverNew ? nextNew++ : redeliveries.remove(random.nextInt(redeliveries.size()));
        if (lanes.admit(item(A, sequence)) == Admission.DEFERRED) {
          redeliveries.add(sequence);
        }
        var next = lanes.next(A);
        while (next.isPresent()) {
          if (random.nextInt(4) == 0) {
            redeliveries.add(next.get().streamSequence());
            lanes.deferInFlight(A).forEach(follower -> redeliveries.add(follower.streamSequence()));
          } else {
            dispatched.add(next.get().streamSequence());
            lanes.completed(A);
          }
          next = lanes.next(A);
        }
      }
      List<Long> expected = java.util.stream.LongStream.rangeClosed(1, events).boxed().toList();
      assertEquals(expected, dispatched, "seed " + seed + " round " + round);
    }
  }

  private static Item<String> item(ChamberKey chamber, long sequence) {
    return new Item<>(chamber, sequence, chamber + "#" + sequence);
  }
}
