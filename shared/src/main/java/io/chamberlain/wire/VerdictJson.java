package io.chamberlain.wire;

import io.chamberlain.defense.Verdict;
import io.chamberlain.defense.Violation;
import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict itself as JSON — the core of the published verdict ({@link PublishedVerdict}, on
 * {@code defense.{toolId}.{chamberId}.result}) and of an external program's answer — e.g.
 * <pre>{@code
 * {"toolId":"tool001","chamberId":"1","contextId":"ctx-42","status":"ALARM","learning":false,
 *  "violationCount":1,"violations":[{"rule":"WE1_BEYOND_LIMIT","severity":"ALARM","svid":5,
 *  "indicator":"max","step":0,"value":812.5,"centre":640.1,"lower":610.7,"upper":669.5,"z":26.4}]}
 * }</pre>
 * {@code step} is 0 for the whole context, k ≥ 1 for recipe step k's window.
 * Limits and z a process did not compute (NaN) are written as {@code null}. Reading is strict:
 * a missing or mistyped field is an {@link IllegalArgumentException} naming it.
 */
public final class VerdictJson {

  private VerdictJson() {
  }

  public static JsonObject toJson(ChamberKey chamber, Verdict verdict) {
    JsonArray violations = new JsonArray();
    for (Violation v : verdict.violations()) {
      violations.add(new JsonObject()
          .put("rule", v.rule()).put("severity", v.severity().name()).put("svid", v.svid())
          .put("indicator", v.indicator()).put("step", v.step()).put("value", finite(v.value())).put("centre", finite(v.centre()))
          .put("lower", finite(v.lower())).put("upper", finite(v.upper())).put("z", finite(v.z())));
    }
    return new JsonObject()
        .put("toolId", chamber.toolId()).put("chamberId", chamber.chamberId())
        .put("contextId", verdict.contextId()).put("status", verdict.status().name())
        .put("learning", verdict.learning()).put("violationCount", verdict.violationCount())
        .put("violations", violations);
  }

  public static Verdict fromJson(JsonObject json) {
    List<Violation> violations = new ArrayList<>();
    JsonArray list = required(json, "violations", JsonArray.class);
    for (int i = 0; i < list.size(); i++) {
      violations.add(violation(list.getJsonObject(i)));
    }
    return new Verdict(required(json, "contextId", String.class), status(required(json, "status", String.class)),
        violations, required(json, "violationCount", Integer.class), json.getBoolean("learning", false));
  }

  public static Violation violation(JsonObject v) {
    return new Violation(required(v, "rule", String.class), status(required(v, "severity", String.class)),
        required(v, "svid", Integer.class), required(v, "indicator", String.class), required(v, "step", Integer.class),
        number(v, "value"), number(v, "centre"), number(v, "lower"), number(v, "upper"), number(v, "z"));
  }

  /** A verdict status by its name; one this version does not know is an error naming the known ones. */
  public static Verdict.Status status(String text) {
    try {
      return Verdict.Status.valueOf(text);
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException("status '" + text + "' is not one of OK, WARN, ALARM");
    }
  }

  /** The field as {@code type} (a whole number as an Integer); missing or another type is an error naming it. */
  public static <T> T required(JsonObject json, String field, Class<T> type) {
    Object value = json == null ? null : json.getValue(field);
    if (type == Integer.class && value instanceof Number n && n.doubleValue() == n.intValue()) {
      value = n.intValue();
    }
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException("field '" + field + "' must be " + type.getSimpleName().toLowerCase()
          + ", was " + (value == null ? "missing" : value));
    }
    return type.cast(value);
  }

  /** A number or null (NaN); anything else is an error. */
  public static double number(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return Double.NaN;
    }
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException("field '" + field + "' must be a number or null, was " + value);
    }
    return n.doubleValue();
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
