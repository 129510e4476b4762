package io.chamberlain.wire;

import io.chamberlain.defense.Verdict;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.Ids;
import io.vertx.core.json.JsonObject;

/**
 * A verdict as a defender publishes it on {@code defense.{toolId}.{chamberId}.result}
 * ({@link Subjects#verdict}), once per context (its {@code Nats-Msg-Id} is the context id): the
 * verdict ({@link VerdictJson}) and, beside it, when the run completed, when the verdict was
 * published (the same instant as the chamber verticle's {@link VerdictReceipt}), which defender
 * judged it and how many contexts the chamber's state had judged by then. Read by the status API
 * ({@code lastVerdict}) and by whatever a fab subscribes to the results with.
 *
 * <p>Compatibility (two versions run side by side during a rolling update): readers ignore fields
 * they do not know; {@code contextsJudged} missing reads as 0, {@code defender} missing as
 * "unknown". {@code completedAt} and {@code publishedAt} are always there; a field is never renamed
 * or given another meaning. Decoding validates at the boundary and throws
 * {@link IllegalArgumentException} naming the field.
 */
public record PublishedVerdict(ChamberKey chamber, Verdict verdict, long completedAt, long publishedAt, String defender,
    long contextsJudged) {

  /** Read for a verdict published before defenders named themselves in it. */
  public static final String UNKNOWN_DEFENDER = "unknown";

  public PublishedVerdict {
    if (chamber == null || verdict == null) {
      throw new IllegalArgumentException("a published verdict needs its chamber and its verdict");
    }
    if (!UNKNOWN_DEFENDER.equals(defender)) {
      Ids.require("defender", defender);
    }
  }

  public JsonObject toJson() {
    return VerdictJson.toJson(chamber, verdict).put("completedAt", completedAt).put("defender", defender)
        .put("contextsJudged", contextsJudged).put(VerdictReceipt.PUBLISHED_AT, publishedAt);
  }

  public static PublishedVerdict fromJson(JsonObject json) {
    JsonFields.body(json, "a published verdict");
    ChamberKey chamber = new ChamberKey(JsonFields.text(json, "toolId"), JsonFields.text(json, "chamberId"));
    Long completedAt = JsonFields.wholeOrNull(json, "completedAt");
    Long publishedAt = JsonFields.wholeOrNull(json, VerdictReceipt.PUBLISHED_AT);
    if (completedAt == null || publishedAt == null) {
      throw new IllegalArgumentException("'" + (completedAt == null ? "completedAt" : VerdictReceipt.PUBLISHED_AT)
          + "' is missing");
    }
    return new PublishedVerdict(chamber, VerdictJson.fromJson(json), completedAt, publishedAt,
        JsonFields.textOr(json, "defender", UNKNOWN_DEFENDER), JsonFields.wholeOr(json, "contextsJudged", 0));
  }
}
