package io.chamberlain.wire;

import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Objects;

/**
 * An operator's requests to the leader (sent by a gateway's status API) and the leader's answers,
 * beyond the drain ({@link DefenderMessages.DrainRequest}, answered with {@link DefenderMessages.DrainState}):
 * what a {@link ProfileChange} on {@link Addresses#CHAMBER_PROFILE} did ({@link ProfileApplied}), and a
 * rebalance on {@link Addresses#REBALANCE} ({@link RebalanceRequest}, {@link Rebalanced}). A gateway
 * serves each answer as the operation's HTTP response as it is (the OpenAPI document's
 * {@code ProfileChanged} and {@code rebalance}). One golden file each ({@code shared/src/test/resources/golden/}).
 *
 * <p>Compatibility (two versions run side by side during a rolling update): readers ignore fields
 * they do not know; a field may be added only with a default that keeps today's meaning when it is
 * missing; a field is never renamed or given another meaning, and a {@link ProfileApplied.Result} is
 * never added (a reader refuses one it does not know: add a field instead). Decoding validates at the
 * boundary and throws {@link IllegalArgumentException} naming the field.
 */
public final class OperatorMessages {

  private OperatorMessages() {
  }

  /**
   * What the leader did with a profile change, once it was stored.
   *
   * @param weight the chamber's new weight (registered or updated); null when it was removed or absent
   */
  public record ProfileApplied(ChamberKey chamber, Result result, Double weight) {

    /** The chamber was new, known (its weight counts at the next rebalance), removed, or not known at all. */
    public enum Result {
      REGISTERED, UPDATED, REMOVED, ABSENT;

      public String wireName() {
        return name().toLowerCase(Locale.ROOT);
      }

      static Result fromWire(String name) {
        for (Result result : values()) {
          if (result.wireName().equals(name)) {
            return result;
          }
        }
        throw new IllegalArgumentException("'result' must be registered, updated, removed or absent, was '" + name + "'");
      }
    }

    public ProfileApplied {
      Objects.requireNonNull(chamber, "chamber");
      Objects.requireNonNull(result, "result");
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("chamber", chamber.toString()).put("result", result.wireName());
      return weight == null ? json : json.put("weight", weight);
    }

    public static ProfileApplied fromJson(JsonObject json) {
      JsonFields.body(json, "a profile change's outcome");
      return new ProfileApplied(ChamberKey.parse(JsonFields.text(json, "chamber")),
          Result.fromWire(JsonFields.text(json, "result")), JsonFields.numberOrNull(json, "weight"));
    }
  }

  /** An operator asks for a full rebalance now; {@code requestedBy} says who (for the leader's log and history). */
  public record RebalanceRequest(String requestedBy) {

    public RebalanceRequest {
      Objects.requireNonNull(requestedBy, "requestedBy");
    }

    public JsonObject toJson() {
      return new JsonObject().put("requestedBy", requestedBy);
    }

    /** A missing {@code requestedBy} reads as "an operator". */
    public static RebalanceRequest fromJson(JsonObject json) {
      return new RebalanceRequest(JsonFields.textOr(JsonFields.body(json, "a rebalance request"), "requestedBy",
          "an operator"));
    }
  }

  /**
   * The leader's answer to a rebalance.
   *
   * @param published whether an assignment was published (false: it was balanced already, or a cold
   *     start is still placing chambers)
   * @param epoch the assignment epoch after it
   * @param state the leader's state after it ({@code io.chamberlain.leader.LeaderState} name)
   */
  public record Rebalanced(boolean published, long epoch, String state) {

    public Rebalanced {
      Objects.requireNonNull(state, "state");
    }

    public JsonObject toJson() {
      return new JsonObject().put("published", published).put("epoch", epoch).put("state", state);
    }

    /** A missing {@code published} reads as false, a missing {@code epoch} as 0; {@code state} is required. */
    public static Rebalanced fromJson(JsonObject json) {
      JsonFields.body(json, "a rebalance's outcome");
      return new Rebalanced(JsonFields.flagOr(json, "published", false), JsonFields.wholeOr(json, "epoch", 0L),
          JsonFields.text(json, "state"));
    }
  }
}
