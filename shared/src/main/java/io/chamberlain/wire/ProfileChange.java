package io.chamberlain.wire;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.vertx.core.json.JsonObject;

/**
 * An operator registered, updated or removed a chamber's profile: the body of a
 * {@link Addresses#CHAMBER_PROFILE} request and the value the leader keeps for the chamber in
 * {@link Subjects#PROFILE_BUCKET}, so the next leader applies it over the catalog file.
 *
 * <p>Compatibility: unknown fields are ignored; {@code profile} absent or null means removed.
 *
 * @param profile the new profile, or {@code null}: the chamber is removed (decommissioned)
 */
public record ProfileChange(ChamberKey chamber, ChamberProfile profile, long at, String by) {

  public ProfileChange {
    if (chamber == null) {
      throw new IllegalArgumentException("a profile change needs a chamber");
    }
    if (profile != null && !profile.chamber().equals(chamber)) {
      throw new IllegalArgumentException("profile of " + profile.chamber() + " sent for chamber " + chamber);
    }
  }

  public boolean removes() {
    return profile == null;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("chamber", chamber.toString());
    if (profile != null) {
      json.put("profile", profileJson(profile));
    }
    return json.put("at", at).put("by", by);
  }

  /** @throws IllegalArgumentException naming what is missing, of the wrong type or out of range */
  public static ProfileChange fromJson(JsonObject json) {
    try {
      String chamber = json.getString("chamber");
      if (chamber == null) {
        throw new IllegalArgumentException("a profile change needs a chamber: " + json.encode());
      }
      ChamberKey key = ChamberKey.parse(chamber);
      JsonObject profile = json.getJsonObject("profile");
      return new ProfileChange(key, profile == null ? null : profileOf(key, profile), json.getLong("at", 0L),
          json.getString("by", "unknown"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("malformed profile change " + json.encode() + ": " + e.getMessage(), e);
    }
  }

  /** A profile's fields ({@code svidCount}, {@code hz}, {@code contextSeconds}), as {@link #profileOf} reads them. */
  public static JsonObject profileJson(ChamberProfile profile) {
    return new JsonObject().put("svidCount", profile.svidCount()).put("hz", profile.hz())
        .put("contextSeconds", profile.contextSeconds());
  }

  /** The profile fields of {@code json} ({@code svidCount}, {@code hz}, {@code contextSeconds}), all required. */
  public static ChamberProfile profileOf(ChamberKey chamber, JsonObject json) {
    for (String field : new String[] {"svidCount", "hz", "contextSeconds"}) {
      if (!(json.getValue(field) instanceof Number)) {
        throw new IllegalArgumentException(field + " must be a number, was " + json.getValue(field));
      }
    }
    Number svids = json.getNumber("svidCount");
    if (svids.doubleValue() != Math.rint(svids.doubleValue()) || svids.doubleValue() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("svidCount must be a whole number ≤ " + Integer.MAX_VALUE + ", was " + svids);
    }
    return new ChamberProfile(chamber, svids.intValue(), json.getDouble("hz"), json.getDouble("contextSeconds"));
  }
}
