package io.chamberlain.bench;

import java.util.PriorityQueue;

/** A discrete-event clock: actions run in time order (FIFO among equal times); time only jumps. */
final class VirtualClock {

  private record Scheduled(long atMillis, long sequence, Runnable action) {
  }

  private final PriorityQueue<Scheduled> queue = new PriorityQueue<>((a, b) -> a.atMillis != b.atMillis
      ? Long.compare(a.atMillis, b.atMillis) : Long.compare(a.sequence, b.sequence));
  private long now;
  private long sequence;

  long now() {
    return now;
  }

  void at(long atMillis, Runnable action) {
    queue.add(new Scheduled(Math.max(atMillis, now), sequence++, action));
  }

  void runUntil(long endMillis) {
    while (!queue.isEmpty() && queue.peek().atMillis <= endMillis) {
      Scheduled next = queue.poll();
      now = next.atMillis;
      next.action.run();
    }
    now = Math.max(now, endMillis);
  }
}
