package io.chamberlain.gateway;

import io.chamberlain.wire.ClusterStatus;
import io.chamberlain.wire.VerdictReceipt;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chamberlain status}: the cluster as a table, the way {@code kafka-consumer-groups --describe}
 * shows a group — read from a gateway's status API, so it runs anywhere the API is reachable.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Prints the cluster (leader, state, a row per defender) or one chamber, from a gateway's status API.")
public final class StatusCommand implements Callable<Integer> {

  @Option(names = "--gateway", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
      description = "the gateway's status API (default: ${DEFAULT-VALUE})")
  String gateway;

  @Option(names = "--chamber", paramLabel = "TOOL:CHAMBER", description = "show this one chamber instead")
  String chamber;

  @Option(names = "--json", description = "print the API's JSON instead of a table")
  boolean json;

  @Option(names = "--watch", paramLabel = "SECONDS", arity = "0..1", fallbackValue = "2",
      description = "print again every SECONDS (default 2) until interrupted")
  Integer watchSeconds;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(3)).build();
  private final PrintStream out;
  private final PrintStream err;

  public StatusCommand() {
    this(System.out, System.err);
  }

  /** Prints to {@code out}, and what went wrong to {@code err}. */
  public StatusCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    String path = chamberPath();
    if (path == null) {
      err.println("status: --chamber must be TOOL:CHAMBER, was '" + chamber + "'");
      return 2;
    }
    do {
      int code = printOnce(path);
      if (watchSeconds == null) {
        return code;
      }
      Thread.sleep(Duration.ofSeconds(Math.max(1, watchSeconds)).toMillis()); // the refresh period, not synchronisation
      out.println();
    } while (true);
  }

  /** The API path to read, or null if {@code --chamber} is malformed. */
  String chamberPath() {
    if (chamber == null) {
      return "/api/cluster";
    }
    int colon = chamber.indexOf(':');
    if (colon <= 0 || colon == chamber.length() - 1) {
      return null;
    }
    return "/api/chambers/" + chamber.substring(0, colon) + "/" + chamber.substring(colon + 1);
  }

  private int printOnce(String path) throws InterruptedException {
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      err.println("status: cannot reach " + gateway + path + ": " + e);
      return 1;
    }
    if (response.statusCode() != 200) {
      JsonObject problem = parse(response.body());
      err.println("status: " + gateway + path + " answered " + response.statusCode() + ": "
          + (problem == null ? response.body() : problem.getString("detail", response.body())));
      return 1;
    }
    JsonObject body = parse(response.body());
    if (json || body == null) {
      out.println(response.body());
    } else {
      out.print(chamber == null ? renderCluster(body) : renderChamber(body));
    }
    return 0;
  }

  private static JsonObject parse(String text) {
    try {
      return new JsonObject(text);
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  /**
   * The cluster line and a row per defender: {@code /api/cluster} is the leader's view
   * ({@link ClusterStatus}) with the gateway's lag verdict on each defender's line.
   *
   * @throws IllegalArgumentException naming the field, when the body is not a leader's view
   */
  static String renderCluster(JsonObject cluster) {
    ClusterStatus view = ClusterStatus.fromJson(cluster);
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "leader %s  term %d  state %s  epoch %d  chambers %d (%d unowned, %d leased)  total weight %,.0f%n%n",
        view.leaderNode(), view.term(), view.state(), view.epoch(), view.chambers(), view.unownedChambers(),
        view.leasedChambers(), view.totalWeight()));
    String row = "%-20s %-12s %-10s %9s %14s %6s %9s %6s %9s %10s %11s%n";
    out.append(String.format(Locale.ROOT, row, "DEFENDER", "STATUS", "VERSION", "CHAMBERS", "WEIGHT", "LOAD",
        "LEASED", "LAG", "P99", "HEARTBEAT", "CACHE HIT"));
    JsonArray lines = cluster.getJsonArray("defenders", new JsonArray());
    for (int i = 0; i < view.defenders().size(); i++) {
      ClusterStatus.Defender d = view.defenders().get(i);
      long hits = d.cacheHits();
      long misses = d.cacheMisses();
      out.append(String.format(Locale.ROOT, row, d.id(), d.status(),
          java.util.Objects.requireNonNullElse(d.version(), "—"), d.chambers(),
          String.format(Locale.ROOT, "%,.0f", d.weight()),
          String.format(Locale.ROOT, "%.2f", d.loadRatio()),
          d.leasedIn() + "/" + d.leasedOut(),
          java.util.Objects.requireNonNullElse(lines.getJsonObject(i).getString(LivePulse.LAG_VERDICT), "—"),
          d.processingP99Millis() == null ? "—" : String.format(Locale.ROOT, "%.0f ms", d.processingP99Millis()),
          d.heartbeatAgeMillis() == null ? "—" : d.heartbeatAgeMillis() + " ms",
          hits + misses == 0 ? "—" : String.format(Locale.ROOT, "%.0f %%", 100.0 * hits / (hits + misses))));
    }
    return out.toString();
  }

  /** One chamber's owner, lease, weight and last verdict. */
  static String renderChamber(JsonObject chamber) {
    JsonObject verdict = chamber.getJsonObject("lastVerdict");
    JsonObject latency = chamber.getJsonObject("latency", new JsonObject());
    return String.format(Locale.ROOT, "chamber %s  epoch %d%n  owner     %s%n  leased to %s%n  served by %s%n"
            + "  weight    %,.0f%n  latency   p50 %d ms, p99 %d ms (last %d events)%n  pending   %d%n  moves     %d%n"
            + "  last verdict %s%n", chamber.getString("chamber"), chamber.getLong("epoch", 0L),
        orDash(chamber.getString("owner")), orDash(chamber.getString("leasedTo")), orDash(chamber.getString("servedBy")),
        chamber.getDouble("weight", 0.0), latency.getLong("p50Millis", 0L), latency.getLong("p99Millis", 0L),
        latency.getInteger("samples", 0), chamber.getInteger("pending", 0), chamber.getInteger("moves", 0), verdict == null ? "none yet"
            : verdict.getString("status") + " for context " + verdict.getString("contextId") + " by "
                + verdict.getString("defender") + " at " + verdict.getLong(VerdictReceipt.PUBLISHED_AT));
  }

  private static String orDash(String value) {
    return value == null ? "—" : value;
  }
}
