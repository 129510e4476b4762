package io.chamberlain.system.live;

import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client of a gateway's status API ({@code /health}, {@code /api/cluster}, {@code /api/stats}).
 * Every call is bounded by {@link #REQUEST_TIMEOUT}; a connection failure or a non-200 answer is an
 * {@link UncheckedIOException}, which {@link Await} treats as "not yet".
 */
public final class GatewayApi {

  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  /** How long a read waits out 503 "no leader" answers (a takeover), scaled like every test timeout. */
  static final Duration NO_LEADER_PATIENCE = io.chamberlain.testkit.TestTimeouts.seconds(30);
  /** A sample of the retry counter in Prometheus text format, e.g. {@code …{reason="timeout",} 7.0}. */
  private static final Pattern RETRIED_LINE =
      Pattern.compile("^chamberlain_events_retried_total\\{.*reason=\"([^\"]+)\".*\\}\\s+(\\S+)$");

  private final String base;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  public GatewayApi(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public String baseUrl() {
    return base;
  }

  public boolean healthy() {
    try {
      return get("/health").statusCode() == 200;
    } catch (UncheckedIOException down) {
      return false;
    }
  }

  /** {@code active} while this gateway holds an ingestion lane, {@code standby} otherwise (from {@code /health}). */
  public String ingestion() {
    return new JsonObject(get("/health").body()).getString("ingestion");
  }

  /** The ingestion lanes this gateway holds (from {@code /health}). */
  public Set<Integer> lanes() {
    Set<Integer> lanes = new TreeSet<>();
    new JsonObject(get("/health").body()).getJsonArray("lanes").forEach(lane -> lanes.add(((Number) lane).intValue()));
    return lanes;
  }

  /** The leader's view, through this gateway. */
  public ClusterView cluster() {
    return ClusterView.fromJson(json("/api/cluster"));
  }

  /** The leader's whole view as JSON (leader node, term, defenders with their cluster node). */
  public JsonObject clusterJson() {
    return json("/api/cluster");
  }

  /** The current assignment, chamber → home owner ({@code GET /api/assignments}); unowned chambers are left out. */
  public Map<ChamberKey, String> assignment() {
    return assignments().owners();
  }

  /** The current assignment with homes and leases ({@code GET /api/assignments}). */
  public AssignmentView assignments() {
    return AssignmentView.fromJson(json("/api/assignments"));
  }

  /** The chambers the current assignment gives {@code defenderId}. */
  public Set<ChamberKey> chambersOf(String defenderId) {
    Set<ChamberKey> chambers = new TreeSet<>();
    assignment().forEach((chamber, owner) -> {
      if (owner.equals(defenderId)) {
        chambers.add(chamber);
      }
    });
    return chambers;
  }

  /** Operator: drain a defender (its chambers move away; it keeps running with none). */
  public void drain(String defenderId) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/defenders/" + defenderId + "/drain"))
          .timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + NodeEnvironment.ADMIN_TOKEN)
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("drain of " + defenderId + " answered " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("drain " + defenderId + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted draining " + defenderId, e);
    }
  }

  /** This gateway's processed count and latency percentiles. */
  public JsonObject stats() {
    return json("/api/stats");
  }

  /**
   * Events the gateway sent back for redelivery, by reason (no-owner, timeout, not-owner, …), read
   * from the Prometheus counter {@code chamberlain_events_retried_total} on {@code /metrics}.
   */
  public Map<String, Long> retriedByReason() {
    Map<String, Long> retried = new TreeMap<>();
    for (String line : get("/metrics").body().split("\n")) {
      Matcher matcher = RETRIED_LINE.matcher(line);
      if (matcher.matches()) {
        retried.merge(matcher.group(1), (long) Double.parseDouble(matcher.group(2)), Long::sum);
      }
    }
    return retried;
  }

  /**
   * A read of the API. A 503 "no leader" is what the API answers while a new leader takes over (its
   * addresses reach the other nodes within seconds), so a read waits that out, bounded, as a user's
   * client would; any other answer but 200 fails at once.
   */
  private JsonObject json(String path) {
    @SuppressWarnings("unchecked")
    HttpResponse<String>[] last = new HttpResponse[1];
    Await.until(path + " answered (not 503: no leader)", NO_LEADER_PATIENCE, () -> {
      last[0] = get(path);
      return last[0].statusCode() != 503;
    });
    HttpResponse<String> response = last[0];
    if (response.statusCode() != 200) {
      throw new UncheckedIOException(new IOException(path + " answered " + response.statusCode() + ": " + response.body()));
    }
    return new JsonObject(response.body());
  }

  private HttpResponse<String> get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(base + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted calling " + base + path, e);
    }
  }
}
