package io.chamberlain.worker;

import io.chamberlain.domain.CompletionEvent;
import io.vertx.core.json.JsonObject;

/**
 * Runs a chamber's defense process for one completion and returns the verdict body. Called on a
 * worker thread, one event at a time per chamber; may block.
 */
@FunctionalInterface
public interface ChamberProcessor {

  /**
   * @param weight the chamber's weight (data points per context) from the current assignment
   * @return the verdict: at least {@code verdict} ({@code OK}, {@code WARN} or {@code ALARM})
   * @throws Exception when the defense process failed; the gateway retries, then dead-letters
   */
  JsonObject process(CompletionEvent event, double weight) throws Exception;
}
