package io.chamberlain.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * How a wire body's fields are read at the boundary: one reader per kind of field, each throwing an
 * {@link IllegalArgumentException} that names the field and says what it was. An optional field that
 * is missing (or {@code null}) reads as the default the caller gives; a field of the wrong type is
 * refused, never read as something else (a fraction is not a count, a string is not a number).
 */
final class JsonFields {

  private JsonFields() {
  }

  /** A string that must be there and not blank. */
  static String text(JsonObject json, String field) {
    String value = textOr(json, field, null);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
    return value;
  }

  static String textOr(JsonObject json, String field, String absent) {
    Object value = json.getValue(field);
    if (value == null) {
      return absent;
    }
    if (!(value instanceof String text)) {
      throw wrong(field, "a string", value);
    }
    return text;
  }

  static boolean flagOr(JsonObject json, String field, boolean absent) {
    Object value = json.getValue(field);
    if (value == null) {
      return absent;
    }
    if (!(value instanceof Boolean flag)) {
      throw wrong(field, "true or false", value);
    }
    return flag;
  }

  /** A whole number; {@code null} when missing. */
  static Long wholeOrNull(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
        || Double.isInfinite(number.doubleValue())) {
      throw wrong(field, "a whole number", value);
    }
    return number.longValue();
  }

  static long wholeOr(JsonObject json, String field, long absent) {
    Long value = wholeOrNull(json, field);
    return value == null ? absent : value;
  }

  static int countOr(JsonObject json, String field, int absent) {
    long value = wholeOr(json, field, absent);
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw wrong(field, "a count from 0 to " + Integer.MAX_VALUE, value);
    }
    return (int) value;
  }

  /** A number; {@code null} when missing. */
  static Double numberOrNull(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number)) {
      throw wrong(field, "a number", value);
    }
    return number.doubleValue();
  }

  static double numberOr(JsonObject json, String field, double absent) {
    Double value = numberOrNull(json, field);
    return value == null ? absent : value;
  }

  /** A JSON object; {@code null} when missing. */
  static JsonObject objectOrNull(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      throw wrong(field, "an object", value);
    }
    return object;
  }

  /** An array of objects; empty when missing. */
  static List<JsonObject> objects(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw wrong(field, "an array", value);
    }
    List<JsonObject> objects = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject object)) {
        throw wrong(field + "[" + i + "]", "an object", array.getValue(i));
      }
      objects.add(object);
    }
    return objects;
  }

  /** The body itself: refused when there is none. */
  static JsonObject body(JsonObject json, String what) {
    if (json == null) {
      throw new IllegalArgumentException(what + ": no body");
    }
    return json;
  }

  private static IllegalArgumentException wrong(String field, String expected, Object value) {
    String shown = String.valueOf(value);
    shown = shown.length() > 80 ? shown.substring(0, 80) + "…" : shown;
    return new IllegalArgumentException("'" + field + "' must be " + expected + ", was "
        + (value instanceof String ? "'" + shown + "'" : shown));
  }
}
