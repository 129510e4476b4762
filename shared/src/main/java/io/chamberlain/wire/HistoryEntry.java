package io.chamberlain.wire;

import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * One thing the leader did or learned, as kept in the history stream ({@link Subjects#HISTORY_STREAM})
 * and shown by {@code GET /api/history} and the WebSocket's {@code history} topic: a leader took
 * over, its state changed, an assignment was published (what moved, from where to where, the
 * leases), a defender joined, left, died, restarted or was drained.
 *
 * <p>Compatibility: readers ignore fields they do not know and treat missing optional ones as
 * absent, so fields may be added; a new {@link Kind} is read as {@link Kind#OTHER}. {@code seq} is
 * the stream's sequence number, set by the reader (0 on the way in).
 *
 * @param moves the first {@link #MAX_LISTED_MOVES} home changes; {@code movedChambers} and
 *     {@code movedWeight} count all of them
 * @param leases the first {@link #MAX_LISTED_MOVES} changes of who serves a chamber for its
 *     restarting home; {@code leasesLent} and {@code leasesReturned} count them
 */
public record HistoryEntry(long seq, Kind kind, long at, long term, long epoch, String summary, String defenderId,
    String fromState, String toState, List<Move> moves, int movedChambers, double movedWeight, int leasesLent,
    int leasesReturned, List<Lease> leases) {

  /** An entry lists at most this many moves; a cold start moving 6,000 chambers is one line, not 6,000. */
  public static final int MAX_LISTED_MOVES = 100;

  public enum Kind {
    LEADER, STATE, ASSIGNMENT, DEFENDER, OTHER;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Kind fromWire(String name) {
      for (Kind kind : values()) {
        if (kind.wireName().equals(name)) {
          return kind;
        }
      }
      return OTHER;
    }
  }

  /** A chamber's home changed: {@code from} is null for a chamber placed for the first time, {@code to} for one left unowned. */
  public record Move(String chamber, String from, String to, double weight) {
  }

  /** A chamber's deputy changed: lent ({@code from} null), handed back ({@code to} null) or re-lent. */
  public record Lease(String chamber, String home, String from, String to) {
  }

  public HistoryEntry {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(summary, "summary");
    moves = List.copyOf(moves);
    leases = List.copyOf(leases);
  }

  public static HistoryEntry leaderElected(long at, long term, long epoch, String summary) {
    return new HistoryEntry(0, Kind.LEADER, at, term, epoch, summary, null, null, null, List.of(), 0, 0, 0, 0, List.of());
  }

  public static HistoryEntry stateChanged(long at, long term, long epoch, String from, String to, String reason) {
    return new HistoryEntry(0, Kind.STATE, at, term, epoch, from + " → " + to + " (" + reason + ")", null, from, to,
        List.of(), 0, 0, 0, 0, List.of());
  }

  public static HistoryEntry defender(long at, long term, long epoch, String defenderId, String summary) {
    return new HistoryEntry(0, Kind.DEFENDER, at, term, epoch, summary, defenderId, null, null, List.of(), 0, 0, 0, 0,
        List.of());
  }

  /** An assignment published as epoch {@code next.epoch()}: the home changes from {@code before}, and the leases. */
  public static HistoryEntry assignmentPublished(long at, long term, AssignmentSnapshot before,
      SortedMap<ChamberKey, AssignmentSnapshot.Entry> next, long epoch, String reason, int leasesLent, int leasesReturned) {
    List<Move> listed = new ArrayList<>();
    List<Lease> leases = new ArrayList<>();
    int moved = 0;
    double weight = 0;
    for (Map.Entry<ChamberKey, AssignmentSnapshot.Entry> line : next.entrySet()) {
      String from = before.ownerOf(line.getKey());
      String to = line.getValue().owner();
      if (!Objects.equals(from, to)) {
        moved++;
        weight += line.getValue().weight();
        if (listed.size() < MAX_LISTED_MOVES) {
          listed.add(new Move(line.getKey().toString(), from, to, line.getValue().weight()));
        }
      }
      AssignmentSnapshot.Entry earlier = before.chambers().get(line.getKey());
      String deputyBefore = earlier == null ? null : earlier.leasedTo();
      if (!Objects.equals(deputyBefore, line.getValue().leasedTo()) && leases.size() < MAX_LISTED_MOVES) {
        leases.add(new Lease(line.getKey().toString(), to, deputyBefore, line.getValue().leasedTo()));
      }
    }
    return new HistoryEntry(0, Kind.ASSIGNMENT, at, term, epoch, "epoch " + epoch + ": " + reason, null, null, null,
        listed, moved, weight, leasesLent, leasesReturned, leases);
  }

  public HistoryEntry withSeq(long sequence) {
    return new HistoryEntry(sequence, kind, at, term, epoch, summary, defenderId, fromState, toState, moves, movedChambers,
        movedWeight, leasesLent, leasesReturned, leases);
  }

  /** Whether the entry names this defender (its subject, or a move from or to it). */
  public boolean concernsDefender(String id) {
    return id.equals(defenderId) || moves.stream().anyMatch(move -> id.equals(move.from()) || id.equals(move.to()))
        || leases.stream().anyMatch(lease -> id.equals(lease.home()) || id.equals(lease.from()) || id.equals(lease.to()));
  }

  /** Whether one of the listed moves is this chamber's. */
  public boolean movesChamber(String chamber) {
    return moves.stream().anyMatch(move -> chamber.equals(move.chamber()));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("seq", seq).put("kind", kind.wireName()).put("at", at).put("term", term)
        .put("epoch", epoch).put("summary", summary);
    putIfPresent(json, "defenderId", defenderId);
    putIfPresent(json, "fromState", fromState);
    putIfPresent(json, "toState", toState);
    if (kind == Kind.ASSIGNMENT) {
      JsonArray listed = new JsonArray();
      moves.forEach(move -> listed.add(new JsonObject().put("chamber", move.chamber()).put("from", move.from())
          .put("to", move.to()).put("weight", move.weight())));
      JsonArray leaseLines = new JsonArray();
      leases.forEach(lease -> leaseLines.add(new JsonObject().put("chamber", lease.chamber()).put("home", lease.home())
          .put("from", lease.from()).put("to", lease.to())));
      json.put("moves", listed).put("movedChambers", movedChambers).put("movedWeight", movedWeight)
          .put("leasesLent", leasesLent).put("leasesReturned", leasesReturned).put("leases", leaseLines);
    }
    return json;
  }

  /** @throws IllegalArgumentException when a field has the wrong type or {@code kind}/{@code summary} is missing */
  public static HistoryEntry fromJson(JsonObject json) {
    try {
      String kind = json.getString("kind");
      String summary = json.getString("summary");
      if (kind == null || summary == null) {
        throw new IllegalArgumentException("a history entry needs kind and summary: " + json.encode());
      }
      List<Move> moves = new ArrayList<>();
      JsonArray listed = json.getJsonArray("moves", new JsonArray());
      for (int i = 0; i < listed.size(); i++) {
        JsonObject move = listed.getJsonObject(i);
        moves.add(new Move(move.getString("chamber"), move.getString("from"), move.getString("to"),
            move.getDouble("weight", 0.0)));
      }
      List<Lease> leases = new ArrayList<>();
      JsonArray leaseLines = json.getJsonArray("leases", new JsonArray());
      for (int i = 0; i < leaseLines.size(); i++) {
        JsonObject lease = leaseLines.getJsonObject(i);
        leases.add(new Lease(lease.getString("chamber"), lease.getString("home"), lease.getString("from"),
            lease.getString("to")));
      }
      return new HistoryEntry(json.getLong("seq", 0L), Kind.fromWire(kind), json.getLong("at", 0L), json.getLong("term", 0L),
          json.getLong("epoch", 0L), summary, json.getString("defenderId"), json.getString("fromState"),
          json.getString("toState"), moves, json.getInteger("movedChambers", 0), json.getDouble("movedWeight", 0.0),
          json.getInteger("leasesLent", 0), json.getInteger("leasesReturned", 0), leases);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("malformed history entry " + json.encode() + ": " + e.getMessage(), e);
    }
  }

  private static void putIfPresent(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
