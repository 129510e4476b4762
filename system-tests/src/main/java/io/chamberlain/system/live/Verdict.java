package io.chamberlain.system.live;

import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonObject;

/**
 * One message of the verdict stream, as the auditor sees it.
 *
 * @param streamSequence position in {@code CHAMBERLAIN_VERDICTS} (the order verdicts were stored)
 * @param defender the defender that processed the event and published the verdict
 * @param publishedAt epoch ms the defender stamped just before publishing
 * @param contextsJudged how many contexts the chamber's state had judged with this one, whoever
 *     judged them; -1 if the verdict does not say
 */
public record Verdict(long streamSequence, ChamberKey chamber, String contextId, String defender,
    long completedAt, long publishedAt, long contextsJudged) {

  public static Verdict fromJson(long streamSequence, JsonObject json) {
    Long judged = json.getLong("contextsJudged");
    return new Verdict(streamSequence, new ChamberKey(json.getString("toolId"), json.getString("chamberId")),
        json.getString("contextId"), json.getString("defender"), json.getLong("completedAt", 0L),
        json.getLong("publishedAt", 0L), judged == null ? -1 : judged);
  }

  public long latencyMillis() {
    return publishedAt - completedAt;
  }
}
