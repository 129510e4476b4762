package io.chamberlain.wire;

import io.chamberlain.domain.Ids;
import io.vertx.core.json.JsonObject;

/**
 * The event-bus bodies about one defender that go to the leader, and its replies: a restart
 * announced ({@link Addresses#DEFENDER_RESTARTING}) and how it was held, a gateway's suspicion
 * ({@link Addresses#DEFENDER_SUSPECTED}), an operator's drain or undrain ({@link Addresses#DEFENDER_DRAIN})
 * and the drain state after it. One golden file each ({@code shared/src/test/resources/golden/}).
 *
 * <p>Compatibility (two versions run side by side during a rolling update): readers ignore fields
 * they do not know; a field may be added only with a default that keeps today's meaning when it is
 * missing; a field is never renamed or given another meaning. Decoding validates at the boundary and
 * throws {@link IllegalArgumentException} naming the field.
 */
public final class DefenderMessages {

  private static final String DEFENDER_ID = "defenderId";

  private DefenderMessages() {
  }

  /** A defender about to restart (SIGTERM), from the process on {@code nodeId}. */
  public record RestartAnnouncement(String defenderId, String nodeId) {

    public RestartAnnouncement {
      Ids.require(DEFENDER_ID, defenderId);
      requireText("nodeId", nodeId);
    }

    public JsonObject toJson() {
      return new JsonObject().put(DEFENDER_ID, defenderId).put("nodeId", nodeId);
    }

    public static RestartAnnouncement fromJson(JsonObject json) {
      return new RestartAnnouncement(string(json, DEFENDER_ID), string(json, "nodeId"));
    }
  }

  /**
   * The leader's answer to a restart: whether it holds the chambers ({@code held}), the epoch that
   * lends them ({@code epoch}: the restarting defender hands over once it holds it) and how many it lent.
   */
  public record RestartHeld(boolean held, long epoch, int lent) {

    public RestartHeld {
      if (epoch < 0 || lent < 0) {
        throw new IllegalArgumentException("epoch and lent must be ≥ 0, were " + epoch + " and " + lent);
      }
    }

    public JsonObject toJson() {
      return new JsonObject().put("held", held).put("epoch", epoch).put("lent", lent);
    }

    /** Missing fields read as "not held, nothing lent": the defender then waits out its timeout. */
    public static RestartHeld fromJson(JsonObject json) {
      return new RestartHeld(json.getBoolean("held", false), number(json, "epoch"), (int) number(json, "lent"));
    }
  }

  /** A gateway's evidence that a defender is not running (the leader decides on its own clock). */
  public record Suspicion(String defenderId, String evidence) {

    public Suspicion {
      Ids.require(DEFENDER_ID, defenderId);
      requireText("evidence", evidence);
    }

    public JsonObject toJson() {
      return new JsonObject().put(DEFENDER_ID, defenderId).put("evidence", evidence);
    }

    public static Suspicion fromJson(JsonObject json) {
      return new Suspicion(string(json, DEFENDER_ID), string(json, "evidence"));
    }
  }

  /** An operator drains ({@code drain}) or undrains a defender. */
  public record DrainRequest(String defenderId, boolean drain) {

    public DrainRequest {
      Ids.require(DEFENDER_ID, defenderId);
    }

    public JsonObject toJson() {
      return new JsonObject().put(DEFENDER_ID, defenderId).put("drain", drain);
    }

    /** A missing {@code drain} means drain (the request's first version had no undrain). */
    public static DrainRequest fromJson(JsonObject json) {
      return new DrainRequest(string(json, DEFENDER_ID), json.getBoolean("drain", true));
    }
  }

  /** Whether the defender is drained now (by an operator or ahead of a scale-in). */
  public record DrainState(String defenderId, boolean drained) {

    public DrainState {
      Ids.require(DEFENDER_ID, defenderId);
    }

    public JsonObject toJson() {
      return new JsonObject().put(DEFENDER_ID, defenderId).put("drained", drained);
    }

    public static DrainState fromJson(JsonObject json) {
      return new DrainState(string(json, DEFENDER_ID), json.getBoolean("drained", false));
    }
  }

  private static String string(JsonObject json, String field) {
    Object value = json == null ? null : json.getValue(field);
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException("'" + field + "' must be a string, was " + value);
    }
    return text;
  }

  private static long number(JsonObject json, String field) {
    Object value = json.getValue(field, 0L);
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException("'" + field + "' must be a number, was " + value);
    }
    return number.longValue();
  }

  private static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
  }
}
