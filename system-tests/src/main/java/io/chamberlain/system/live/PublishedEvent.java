package io.chamberlain.system.live;

import io.chamberlain.domain.ChamberKey;

/**
 * A completion event the {@link SteadyPublisher} got a JetStream ack for.
 *
 * @param completedAt epoch ms the event was created (its {@code completedAt}; latency starts here)
 * @param ackedAt epoch ms JetStream acknowledged it (stored in the completions stream)
 */
public record PublishedEvent(ChamberKey chamber, String contextId, long completedAt, long ackedAt) {
}
