package io.chamberlain.worker.defense;

import io.chamberlain.defense.Indicator;
import io.chamberlain.defense.IndicatorValues;
import io.chamberlain.defense.Trace;
import io.chamberlain.defense.Verdict;
import io.chamberlain.defense.Violation;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.wire.VerdictJson;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON-lines protocol spoken with an external defense program: one request line on its
 * stdin, one response line on its stdout, in order, UTF-8, no other output on stdout (use stderr
 * for logs).
 *
 * <p>Request:
 * <pre>{@code
 * {"contextId":"ctx-42","toolId":"tool001","chamberId":"1","completedAt":1700000000000,"traceRef":"ctx-42",
 *  "svidCount":3,"samples":600,"hz":10.0,"contextSeconds":60.0,
 *  "indicators":{"mean":[..3..],"std":[..],"min":[..],"max":[..],"range":[..],"slope":[..]},
 *  "tracePath":"/tmp/chamberlain-trace-….bin",     (only in trace mode, instead of "indicators")
 *  "state":{...}}                                   (what the program returned last time for this chamber, or null)
 * }</pre>
 * Response:
 * <pre>{@code
 * {"contextId":"ctx-42","status":"WARN",
 *  "violations":[{"rule":"MEAN_SHIFT","svid":2,"indicator":"mean","value":12.5,"severity":"WARN"}],
 *  "state":{...}}
 * }</pre>
 * {@code step} (0 = whole context, default) names a recipe step's window; {@code severity} defaults to the status, and the status must be the most severe violation's
 * ({@code OK} with none); {@code state} is any JSON value, kept with the chamber
 * (persisted and moved with it) and handed back on the next request, so the program itself may
 * be stateless. The trace file uses {@link io.chamberlain.defense.TraceCodec}'s format.
 */
final class ExternalProtocol {

  private ExternalProtocol() {
  }

  static String request(CompletionEvent event, Trace trace, IndicatorValues indicators, Path tracePath, Object state) {
    JsonObject request = new JsonObject()
        .put("contextId", event.contextId()).put("toolId", event.chamber().toolId())
        .put("chamberId", event.chamber().chamberId()).put("completedAt", event.completedAt())
        .put("traceRef", event.traceRef()).put("svidCount", trace.svidCount()).put("samples", trace.samples())
        .put("hz", trace.hz()).put("contextSeconds", trace.contextSeconds());
    if (indicators != null) {
      JsonObject byIndicator = new JsonObject();
      for (Indicator indicator : Indicator.values()) {
        JsonArray column = new JsonArray();
        for (double value : indicators.column(indicator)) {
          column.add(value);
        }
        byIndicator.put(indicator.id(), column);
      }
      request.put("indicators", byIndicator);
    }
    if (tracePath != null) {
      request.put("tracePath", tracePath.toString());
    }
    return request.put("state", state).encode();
  }

  /** A parsed response: the verdict and the program's new state (JSON text, or null). */
  record Response(Verdict verdict, String stateJson) {
  }

  /** @throws IllegalArgumentException saying what is wrong with the line */
  static Response response(String line, String expectedContextId, int svidCount) {
    JsonObject json;
    try {
      json = new JsonObject(line);
    } catch (DecodeException | ClassCastException notJson) {
      throw new IllegalArgumentException("response is not a JSON object: " + abbreviate(line));
    }
    String contextId = VerdictJson.required(json, "contextId", String.class);
    if (!contextId.equals(expectedContextId)) {
      throw new IllegalArgumentException("response is for context '" + contextId + "', expected '" + expectedContextId + "'");
    }
    Verdict.Status status = VerdictJson.status(VerdictJson.required(json, "status", String.class));
    JsonArray list = json.getValue("violations") == null ? new JsonArray() : VerdictJson.required(json, "violations", JsonArray.class);
    List<Violation> violations = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject v)) {
        throw new IllegalArgumentException("violation " + i + " is not an object");
      }
      Violation violation = new Violation(VerdictJson.required(v, "rule", String.class),
          v.getValue("severity") == null ? status : VerdictJson.status(VerdictJson.required(v, "severity", String.class)),
          VerdictJson.required(v, "svid", Integer.class),
          VerdictJson.required(v, "indicator", String.class),
          v.getValue("step") == null ? 0 : VerdictJson.required(v, "step", Integer.class), VerdictJson.number(v, "value"),
          Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      if (violation.svid() >= svidCount || violation.severity().compareTo(status) > 0) {
        throw new IllegalArgumentException("violation " + i + " (svid " + violation.svid() + ", " + violation.severity()
            + ") does not fit a " + status + " verdict on " + svidCount + " SVIDs");
      }
      violations.add(violation);
    }
    Verdict.Status worst = violations.stream().map(Violation::severity).max(Enum::compareTo).orElse(Verdict.Status.OK);
    if (worst != status) {
      throw new IllegalArgumentException("status " + status + " does not match its violations (most severe: " + worst + ")");
    }
    Object state = json.getValue("state");
    return new Response(new Verdict(contextId, status, violations, violations.size(), false),
        state == null ? null : Json.encode(state));
  }

  static String abbreviate(String text) {
    if (text == null) {
      return "(nothing)";
    }
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
