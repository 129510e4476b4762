package io.chamberlain.wire;

import io.chamberlain.assign.WeightSource;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * What the leader knows of one chamber: its answer to a {@link Query} on {@link Addresses#LEADER_CHAMBER}.
 * Gateways add it to {@code GET /api/chambers/{toolId}/{chamberId}} (the OpenAPI document's {@code Chamber}:
 * {@code profile}, {@code formulaWeight}, {@code observedMillisPerContext}, {@code weightSource}).
 *
 * <p>Compatibility (two versions run side by side during a rolling update): readers ignore fields
 * they do not know; a field missing reads as absent (null; {@code registered} false); a
 * {@code weightSource} this version does not know reads as null (unknown) rather than refused. So a
 * field may be added with a default that keeps today's meaning; a field is never renamed or given
 * another meaning. Decoding validates at the boundary and throws {@link IllegalArgumentException}
 * naming the field.
 *
 * @param registered whether the leader places the chamber (it may know a profile of a chamber it
 *     does not place yet)
 * @param weight the weight the leader places it with; null if not registered
 * @param formulaWeight its profile's weight ({@code svidCount × hz × contextSeconds}); null if unknown
 * @param observedMillisPerContext the defense time its defender measured per context; null before a measurement
 * @param weightSource where the leader's weights come from; null if unknown
 * @param profile its profile, from the catalog file or an operator; null if the leader knows none
 */
public record ChamberDetail(ChamberKey chamber, boolean registered, Double weight, Double formulaWeight,
    Double observedMillisPerContext, WeightSource weightSource, ChamberProfile profile) {

  /** A gateway asks the leader about {@code chamber}. */
  public record Query(ChamberKey chamber) {

    public Query {
      Objects.requireNonNull(chamber, "chamber");
    }

    public JsonObject toJson() {
      return new JsonObject().put("chamber", chamber.toString());
    }

    /** @throws IllegalArgumentException if {@code chamber} is missing or not {@code tool:chamber} of valid ids */
    public static Query fromJson(JsonObject json) {
      return new Query(ChamberKey.parse(JsonFields.text(JsonFields.body(json, "a chamber query"), "chamber")));
    }
  }

  public ChamberDetail {
    Objects.requireNonNull(chamber, "chamber");
    if (profile != null && !profile.chamber().equals(chamber)) {
      throw new IllegalArgumentException("profile of " + profile.chamber() + " given for chamber " + chamber);
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("chamber", chamber.toString()).put("registered", registered)
        .put("weight", weight).put("formulaWeight", formulaWeight).put("observedMillisPerContext", observedMillisPerContext)
        .put("weightSource", weightSource == null ? null : weightSource.name());
    if (profile != null) {
      json.put("profile", ProfileChange.profileJson(profile));
    }
    return json;
  }

  /** @throws IllegalArgumentException naming the field that is missing, of the wrong type or out of range */
  public static ChamberDetail fromJson(JsonObject json) {
    JsonFields.body(json, "a chamber's detail");
    ChamberKey chamber = ChamberKey.parse(JsonFields.text(json, "chamber"));
    JsonObject profile = JsonFields.objectOrNull(json, "profile");
    return new ChamberDetail(chamber, JsonFields.flagOr(json, "registered", false), JsonFields.numberOrNull(json, "weight"),
        JsonFields.numberOrNull(json, "formulaWeight"), JsonFields.numberOrNull(json, "observedMillisPerContext"),
        weightSourceOf(JsonFields.textOr(json, "weightSource", null)),
        profile == null ? null : ProfileChange.profileOf(chamber, profile));
  }

  private static WeightSource weightSourceOf(String name) {
    for (WeightSource source : WeightSource.values()) {
      if (source.name().equals(name)) {
        return source;
      }
    }
    return null;
  }
}
