package io.chamberlain.system.live;

import io.chamberlain.domain.ChamberKey;

/**
 * A completion event a harness publisher ({@link SteadyPublisher}, {@link EventPublisher}) got a
 * JetStream ack for. The chamber key is the harness's bookkeeping only; the event on the wire is
 * written by {@link CompletionWire}.
 *
 * @param completedAt epoch ms the event was created (its {@code completedAt})
 * @param sentAt epoch ms the publish that succeeded was started: the harness's latency starts here
 * @param ackedAt epoch ms JetStream acknowledged it (stored in the completions stream)
 */
public record PublishedEvent(ChamberKey chamber, String contextId, long completedAt, long sentAt, long ackedAt) {
}
