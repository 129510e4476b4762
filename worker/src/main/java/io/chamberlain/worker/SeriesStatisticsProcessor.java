package io.chamberlain.worker;

import io.chamberlain.assign.StableHash;
import io.chamberlain.domain.CompletionEvent;
import io.vertx.core.json.JsonObject;
import java.util.SplittableRandom;

/**
 * The walking skeleton's defense process: synthesizes the context's series deterministically from
 * (chamber, context) — as many points as the chamber's weight, capped — and computes mean and
 * standard deviation in one pass. Real work proportional to weight, so routing and latency are
 * measured against a process that costs something; the full fault detection replaces it.
 */
public final class SeriesStatisticsProcessor implements ChamberProcessor {

  /** Upper bound of points synthesized per context, so a demo chamber never exceeds the SLA. */
  public static final int MAX_POINTS = 2_000_000;

  @Override
  public JsonObject process(CompletionEvent event, double weight) {
    int points = (int) Math.max(1, Math.min(weight, MAX_POINTS));
    SplittableRandom random = new SplittableRandom(
        StableHash.of(event.chamber().toString(), event.contextId()));
    double sum = 0;
    double sumOfSquares = 0;
    for (int i = 0; i < points; i++) {
      double value = random.nextGaussian();
      sum += value;
      sumOfSquares += value * value;
    }
    double mean = sum / points;
    double std = Math.sqrt(Math.max(0, sumOfSquares / points - mean * mean));
    // The mean of n standard normals has σ = 1/√n; beyond 3σ of that is a real outlier.
    double z = mean * Math.sqrt(points);
    String verdict = Math.abs(z) > 3 ? "ALARM" : Math.abs(z) > 2 ? "WARN" : "OK";
    return new JsonObject().put("verdict", verdict).put("points", points).put("mean", mean).put("std", std);
  }
}
