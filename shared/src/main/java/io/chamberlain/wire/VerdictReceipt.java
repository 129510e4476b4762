package io.chamberlain.wire;

import io.chamberlain.domain.Ids;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A chamber verticle's answer to a completion it took ({@link Addresses#DEFENDER_INBOX_FORMAT}): the
 * verdict it published, or that the context was judged before (a replay: acknowledged, nothing
 * published again). A failure is a {@link ChamberReplies} code instead. The gateway acknowledges the
 * event on either, and counts the completion-to-verdict latency of a published one.
 *
 * <p>Compatibility (two versions run side by side during a rolling update): readers ignore fields
 * they do not know; {@code duplicate} missing reads as false; {@code verdict} and {@code publishedAt}
 * are there together or not at all (a replay). A field is never renamed or given another meaning;
 * {@code verdict} is a status name a reader does not refuse when it does not know it. Decoding
 * validates at the boundary and throws {@link IllegalArgumentException} naming the field.
 *
 * @param verdict the published verdict's status ({@code OK}, {@code WARN}, {@code ALARM}); null for a replay
 * @param publishedAt when the verdict was published (epoch ms, the defender's clock); null for a replay
 * @param duplicate the verdict stream had this context's verdict already (its {@code Nats-Msg-Id}):
 *     published by an earlier attempt whose answer was lost
 * @param defender the defender that judged it
 */
public record VerdictReceipt(String verdict, Long publishedAt, boolean duplicate, String defender) {

  /**
   * The key of the time a verdict was published (epoch ms): in this receipt, and in the verdict
   * message itself on {@code defense.{toolId}.{chamberId}.result}, which carries the same instant.
   */
  public static final String PUBLISHED_AT = "publishedAt";

  public VerdictReceipt {
    Ids.require("defender", defender);
    if ((verdict == null) != (publishedAt == null)) {
      throw new IllegalArgumentException("'verdict' and '" + PUBLISHED_AT + "' go together, were " + verdict + " and "
          + publishedAt);
    }
  }

  /** A verdict judged and published now. */
  public static VerdictReceipt published(String verdict, long publishedAt, boolean duplicate, String defender) {
    return new VerdictReceipt(Objects.requireNonNull(verdict, "verdict"), publishedAt, duplicate, defender);
  }

  /** A context judged before: acknowledged without a second verdict. */
  public static VerdictReceipt replayed(String defender) {
    return new VerdictReceipt(null, null, true, defender);
  }

  /** Whether the context was judged before and nothing was published now. */
  public boolean replay() {
    return publishedAt == null;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (!replay()) {
      json.put("verdict", verdict).put(PUBLISHED_AT, publishedAt);
    }
    return json.put("duplicate", duplicate).put("defender", defender);
  }

  public static VerdictReceipt fromJson(JsonObject json) {
    JsonFields.body(json, "a verdict receipt");
    return new VerdictReceipt(JsonFields.textOr(json, "verdict", null), JsonFields.wholeOrNull(json, PUBLISHED_AT),
        JsonFields.flagOr(json, "duplicate", false), JsonFields.text(json, "defender"));
  }
}
