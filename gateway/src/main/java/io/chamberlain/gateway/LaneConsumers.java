package io.chamberlain.gateway;

import io.chamberlain.wire.Subjects;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import java.io.IOException;
import java.util.Optional;

/** Reads an ingestion lane's durable consumer, which does not exist until a gateway first reads the lane. */
final class LaneConsumers {

  /** JetStream's "consumer not found". */
  private static final int CONSUMER_NOT_FOUND = 10014;

  private LaneConsumers() {
  }

  /** The consumer of lane {@code lane} of {@code lanes}, or empty if it was never created. Blocking. */
  static Optional<ConsumerInfo> find(JetStreamManagement jsm, int lane, int lanes) throws IOException, JetStreamApiException {
    try {
      return Optional.of(jsm.getConsumerInfo(Subjects.COMPLETIONS_STREAM, Subjects.laneConsumer(lane, lanes)));
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
        throw e;
      }
      return Optional.empty();
    }
  }
}
