package io.chamberlain.gateway;

import io.chamberlain.lag.LagAssessment;
import io.chamberlain.lag.LagEvaluator;
import io.chamberlain.lag.LagSample;
import io.chamberlain.lag.LagVerdict;
import io.chamberlain.wire.Subjects;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfoOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads every ingestion lane's consumer once a second — from JetStream, so every gateway sees every
 * lane, held here or not — and judges each lane's lag ({@link LagEvaluator}: OK / WARN / STALL /
 * STOP over a {@link #WINDOW} window, in time, not only in counts: the age of the oldest event not
 * acknowledged). Serves the latest view to {@code GET /api/lag} and exports it as gauges
 * ({@code chamberlain_lane_pending}, {@code chamberlain_lane_oldest_pending_seconds},
 * {@code chamberlain_lane_verdict} = 0 OK … 3 STOP), by lane.
 */
final class LaneLagVerticle extends VerticleBase {

  static final Duration WINDOW = Duration.ofSeconds(10);
  private static final long SAMPLE_MILLIS = 1_000;
  private static final int NO_MESSAGE_FOUND = 10037;

  private final Connection nats;
  private final int laneCount;
  private final List<LagEvaluator> evaluators = new ArrayList<>();
  private final List<AtomicReference<LagAssessment>> latest = new ArrayList<>();
  private final AtomicReference<JsonObject> view = new AtomicReference<>(new JsonObject()
      .put("verdict", LagVerdict.OK.name()).put("reason", "not sampled yet").put("lanes", new JsonArray()));
  private boolean sampling;

  LaneLagVerticle(Connection nats, int laneCount, long slaMillis, MeterRegistry registry) {
    this.nats = nats;
    this.laneCount = laneCount;
    for (int lane = 0; lane < laneCount; lane++) {
      evaluators.add(new LagEvaluator(WINDOW.toMillis(), slaMillis));
      AtomicReference<LagAssessment> assessed = new AtomicReference<>();
      latest.add(assessed);
      String tag = Integer.toString(lane);
      Gauge.builder("chamberlain.lane.pending", assessed, a -> a.get() == null ? 0 : a.get().pending())
          .tag("lane", tag).description("events of the lane not acknowledged yet").register(registry);
      Gauge.builder("chamberlain.lane.oldest.pending", assessed,
              a -> a.get() == null ? 0 : a.get().oldestPendingAgeMillis() / 1000.0)
          .tag("lane", tag).baseUnit("seconds").description("age of the lane's oldest event not acknowledged")
          .register(registry);
      Gauge.builder("chamberlain.lane.verdict", assessed, a -> a.get() == null ? 0 : a.get().verdict().ordinal())
          .tag("lane", tag).description("lag verdict: 0 OK, 1 WARN, 2 STALL, 3 STOP").register(registry);
    }
  }

  /** The latest view of every lane (any thread). */
  JsonObject view() {
    return view.get();
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(0, SAMPLE_MILLIS, id -> sample());
    return Future.succeededFuture();
  }

  private void sample() {
    if (sampling) {
      return; // a slow NATS: one reading at a time
    }
    sampling = true;
    vertx.executeBlocking(this::readLanes).onComplete(read -> {
      sampling = false;
      if (read.succeeded()) {
        publish(read.result());
      } else {
        view.set(view.get().copy().put("unavailable", String.valueOf(read.cause().getMessage())));
      }
    });
  }

  private List<LagSample> readLanes() throws IOException, JetStreamApiException {
    JetStreamManagement jsm = nats.jetStreamManagement();
    List<LagSample> samples = new ArrayList<>(laneCount);
    for (int lane = 0; lane < laneCount; lane++) {
      samples.add(readLane(jsm, lane, System.currentTimeMillis()));
    }
    return samples;
  }

  private LagSample readLane(JetStreamManagement jsm, int lane, long now) throws IOException, JetStreamApiException {
    String filter = Subjects.laneFilter(lane, laneCount);
    Optional<ConsumerInfo> found = LaneConsumers.find(jsm, lane, laneCount);
    if (found.isEmpty()) {
      long stored = jsm.getStreamInfo(Subjects.COMPLETIONS_STREAM, StreamInfoOptions.filterSubjects(filter))
          .getStreamState().getSubjectMap().values().stream().mapToLong(Long::longValue).sum();
      return new LagSample(now, 0, stored, 0, oldestAge(jsm, 1, filter, now, stored), false);
    }
    ConsumerInfo consumer = found.get();
    long floor = consumer.getAckFloor().getStreamSequence();
    long undelivered = consumer.getNumPending();
    long inFlight = consumer.getNumAckPending();
    return new LagSample(now, floor, undelivered, inFlight, oldestAge(jsm, floor + 1, filter, now, undelivered + inFlight),
        true);
  }

  /** Age of the lane's first event at or after {@code fromSequence}: the oldest not acknowledged. */
  private long oldestAge(JetStreamManagement jsm, long fromSequence, String filter, long now, long pending)
      throws IOException, JetStreamApiException {
    if (pending == 0) {
      return 0;
    }
    try {
      MessageInfo oldest = jsm.getNextMessage(Subjects.COMPLETIONS_STREAM, fromSequence, filter);
      return Math.max(0, now - oldest.getTime().toInstant().toEpochMilli());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
        return 0;
      }
      throw e;
    }
  }

  private void publish(List<LagSample> samples) {
    JsonArray lanes = new JsonArray();
    LagVerdict worst = LagVerdict.OK;
    long pending = 0;
    for (int lane = 0; lane < samples.size(); lane++) {
      LagAssessment assessed = evaluators.get(lane).record(samples.get(lane));
      latest.get(lane).set(assessed);
      worst = assessed.verdict().compareTo(worst) > 0 ? assessed.verdict() : worst;
      pending += assessed.pending();
      lanes.add(new JsonObject().put("lane", lane).put("verdict", assessed.verdict().name())
          .put("reason", assessed.reason()).put("pending", assessed.pending()).put("inFlight", assessed.inFlight())
          .put("oldestPendingAgeMillis", assessed.oldestPendingAgeMillis())
          .put("ackRatePerSecond", Math.round(assessed.ackRatePerSecond() * 10) / 10.0)
          .put("estimatedClearMillis", assessed.estimatedClearMillis() < 0 ? null : assessed.estimatedClearMillis())
          .put("trend", assessed.trend().name()));
    }
    view.set(new JsonObject().put("sampledAt", samples.isEmpty() ? 0 : samples.get(0).atMillis())
        .put("windowSeconds", WINDOW.toSeconds()).put("verdict", worst.name()).put("pending", pending)
        .put("lanes", lanes));
  }
}
