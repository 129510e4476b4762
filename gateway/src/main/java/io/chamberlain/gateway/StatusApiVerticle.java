package io.chamberlain.gateway;

import io.chamberlain.config.HttpSecurity;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.Ids;
import io.chamberlain.wire.Subjects;
import io.chamberlain.wire.Addresses;
import io.chamberlain.wire.DefenderMessages;
import io.chamberlain.wire.AssignmentSnapshot;
import io.chamberlain.wire.ChamberDetail;
import io.chamberlain.wire.ClusterStatus;
import io.chamberlain.wire.OperatorMessages;
import io.vertx.core.eventbus.DeliveryOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerOptions;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.wire.ProfileChange;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.LinkedHashMap;
import java.util.Map;
import io.chamberlain.cluster.NodeProbes;

/**
 * The gateway's HTTP face (documented in {@code openapi.yaml}, served at {@code /openapi.yaml}):
 * probes ({@link NodeProbes}); the leader's view ({@code /api/cluster}, {@code /api/assignments},
 * {@code /api/defenders/{id}}, {@code /api/chambers/{tool}/{chamber}}), asked of the leader over the
 * event bus with a bounded wait; what this gateway sees ({@code /api/stats}, {@code /api/lag} by lane,
 * defender and chamber — {@link LivePulse}, {@code /api/history} — {@link HistoryFeed}); the live
 * feed {@code /ws} ({@link LiveFeed}) and the dashboard ({@code /}, {@code /dashboard/*}, its charting
 * library from {@code /webjars/*}); and the operations — drain/undrain, chamber profiles, rebalance —
 * behind the bearer token, each a request the leader answers. Who may read and operate, the security
 * headers, CORS and TLS are {@link ApiGuard}'s; operations are limited per client ({@link OperationLimits});
 * a connection must send its request head in time ({@link RequestHeadDeadline}). Bodies are bounded
 * ({@code http.maxBodyBytes}, 413) and so is every {@code /api} request ({@link #REQUEST_TIMEOUT_MILLIS},
 * 503); every error is a {@link Problem}, never a stack trace.
 */
final class StatusApiVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(StatusApiVerticle.class.getName());
  private static final long LEADER_TIMEOUT_MILLIS = 2_000;
  /** A request not answered by then gets a 503 problem (the leader's replies are bounded at 2 s). */
  static final long REQUEST_TIMEOUT_MILLIS = 10_000;
  /** Default and largest {@code limit} of {@code GET /api/history}. */
  static final int HISTORY_PAGE = 100;
  /** Largest page of {@code GET /api/assignments}. */
  static final int MAX_PAGE = 10_000;
  /** JetStream's API error code for "no message found" (a chamber without a verdict yet). */
  private static final int NO_MESSAGE_FOUND = 10037;
  /** This API's OpenAPI document (a resource of the gateway jar), served at {@code /openapi.yaml}. */
  static final String OPENAPI = openApiDocument();

  private final String host;
  private final HttpSecurity security;
  private final ApiGuard guard;
  private final int port;
  private final Connection nats;
  private final PrometheusMeterRegistry registry;
  private final GatewayMetrics metrics;
  private final Supplier<Set<Integer>> lanesHeld;
  private final int laneCount;
  private final BooleanSupplier clusterRunning;
  private final LiveFeed feed;
  private final LivePulse pulse;
  private final HistoryFeed history;
  private final GatewayActivity activity;
  private volatile boolean assignmentKnown;
  private final LeaderView leaderView;
  private HttpServer server;

  StatusApiVerticle(String host, int port, String adminToken, HttpSecurity security, Connection nats,
      PrometheusMeterRegistry registry, GatewayMetrics metrics, Supplier<Set<Integer>> lanesHeld, int laneCount,
      BooleanSupplier clusterRunning, LiveFeed feed, LivePulse pulse, HistoryFeed history, GatewayActivity activity,
      LeaderView leaderView) {
    this.leaderView = leaderView;
    this.feed = feed;
    this.pulse = pulse;
    this.history = history;
    this.activity = activity;
    this.clusterRunning = clusterRunning;
    this.lanesHeld = lanesHeld;
    this.laneCount = laneCount;
    this.host = host;
    this.security = security;
    this.guard = new ApiGuard(security, adminToken);
    this.port = port;
    this.nats = nats;
    this.registry = registry;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    NodeProbes probes = probes();
    learnWhetherAnAssignmentIsKnown();
    leaderView.start();
    feed.start();
    pulse.start();
    guard.install(router);
    // Probes stay open whatever is configured: orchestrators send no token.
    router.get("/health").handler(ctx -> probes.health(ctx.response()));
    router.get("/ready").handler(ctx -> probes.ready(ctx.response()));
    router.route("/api/*").handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-store");
      ctx.next();
    });
    router.route("/api/*").handler(TimeoutHandler.create(REQUEST_TIMEOUT_MILLIS, 503));
    OperationLimits limits = new OperationLimits(security.operationsPerMinute(), registry);
    List<io.vertx.core.http.HttpMethod> changing = List.of(io.vertx.core.http.HttpMethod.POST,
        io.vertx.core.http.HttpMethod.PUT, io.vertx.core.http.HttpMethod.DELETE, io.vertx.core.http.HttpMethod.PATCH);
    // Not method-restricted routes: a path they match but with another method would be a 405, not a 404.
    router.route("/api/*").handler(ctx -> {
      if (changing.contains(ctx.request().method())) {
        limits.handle(ctx);
      } else {
        ctx.next();
      }
    });
    router.route("/api/*").handler(guard::requireRead);
    // Only operations read a body (the body handler fails other methods that send a form: a 500 the fuzz found).
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(security.maxBodyBytes());
    router.route("/api/*").handler(ctx -> {
      if (changing.contains(ctx.request().method())) {
        bodies.handle(ctx);
      } else {
        ctx.next();
      }
    });
    router.get("/api/cluster").handler(this::cluster);
    router.get("/api/stats").handler(ctx -> json(ctx, 200, metrics.snapshot().put("ingestion", ingestion())
        .put("cluster", pulse.summary())));
    router.get("/api/assignments").handler(this::assignments);
    router.get("/api/lag").handler(ctx -> json(ctx, 200, pulse.lagView()));
    router.get("/api/history").handler(this::history);
    router.get("/api/defenders/:id").handler(this::defender);
    router.get("/api/chambers/:toolId/:chamberId").handler(this::chamber);
    router.post("/api/defenders/:id/drain").handler(ctx -> guard.operator(ctx, () -> drain(ctx, true)));
    router.post("/api/defenders/:id/undrain").handler(ctx -> guard.operator(ctx, () -> drain(ctx, false)));
    router.put("/api/chambers/:toolId/:chamberId/profile").handler(ctx -> guard.operator(ctx, () -> putProfile(ctx)));
    router.delete("/api/chambers/:toolId/:chamberId").handler(ctx -> guard.operator(ctx, () -> removeChamber(ctx)));
    router.post("/api/rebalance").handler(ctx -> guard.operator(ctx, () -> rebalance(ctx)));
    router.get("/ws").handler(guard::requireRead).handler(this::upgrade);
    router.get("/").handler(ctx -> ctx.reroute("/dashboard/index.html"));
    router.get("/dashboard/*").handler(StaticHandler.create("webroot"));
    router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.get("/metrics").handler(guard::requireRead).handler(PrometheusScrapingHandler.create(registry));
    router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("content-type", "application/yaml")
        .end(OPENAPI));
    router.errorHandler(413, ctx -> new Problem("/problems/too-large", "Content Too Large", 413,
        "request bodies are limited to " + security.maxBodyBytes() + " bytes (http.maxBodyBytes)", null).send(ctx.response()));
    // Only CorsHandler fails a request with 403 (the route handlers answer their own 403s).
    router.errorHandler(403, ctx -> Problem.forbidden("origin " + ctx.request().getHeader("Origin")
        + " may not call this API (http.cors.allowedOrigins)").send(ctx.response()));
    router.errorHandler(400, ctx -> Problem.badInput(null, "the request could not be read: "
        + (ctx.failure() == null ? "bad request" : "malformed path, query or body")).send(ctx.response()));
    router.errorHandler(503, ctx -> new Problem("/problems/timeout", "Service Unavailable", 503,
        "the request did not finish within " + REQUEST_TIMEOUT_MILLIS + " ms", null).send(ctx.response()));
    router.errorHandler(404, ctx -> Problem.notFound("no such resource: " + ctx.request().method() + " "
        + ctx.request().path()).send(ctx.response()));
    router.errorHandler(405, ctx -> new Problem("/problems/method-not-allowed", "Method Not Allowed", 405,
        ctx.request().method() + " is not allowed on " + ctx.request().path(), null).send(ctx.response()));
    router.errorHandler(500, ctx -> {
      LOG.log(System.Logger.Level.ERROR, "status API: " + ctx.request().method() + " " + ctx.request().path() + " failed",
          ctx.failure());
      new Problem("/problems/internal", "Internal Server Error", 500, "the request failed on this gateway; its log says why",
          null).send(ctx.response());
    });
    // HTTP/1.1 only: no clear-text HTTP/2 upgrade (browsers never ask for it; the JDK's client asks on
    // every new connection, and one such request stalled for good in a fresh-clone run).
    server = vertx.createHttpServer(guard.withTls(new HttpServerOptions()
        .setMaxWebSocketMessageSize(LiveFeed.MAX_MESSAGE_BYTES).setMaxWebSocketFrameSize(LiveFeed.MAX_MESSAGE_BYTES)
        .setHttp2ClearTextEnabled(false)));
    RequestHeadDeadline deadline = new RequestHeadDeadline(vertx, security.requestHeaderTimeout().toMillis(), registry);
    deadline.guard(server);
    server.invalidRequestHandler(StatusApiVerticle::invalidRequest);
    return server.requestHandler(request -> {
      deadline.headRead(request);
      router.handle(request);
    }).listen(port, host);
  }

  /** A request Netty could not decode (a line or the headers too long, a malformed head): a problem, then close. */
  private static void invalidRequest(io.vertx.core.http.HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof io.netty.handler.codec.TooLongFrameException
        ? (String.valueOf(cause.getMessage()).contains("header") ? 431 : 414) : 400;
    String detail = switch (status) {
      case 431 -> "the request's headers are too large";
      case 414 -> "the request line is too long";
      default -> "the request's head could not be read as HTTP/1.1";
    };
    io.vertx.core.http.HttpServerResponse response = request.response().putHeader("Connection", "close");
    response.endHandler(v -> request.connection().close());
    new Problem("/problems/bad-request", status == 400 ? "Bad Request" : status == 414 ? "URI Too Long"
        : "Request Header Fields Too Large", status, detail, null).send(response);
  }

  /** {@code /ws}: upgrades unless the feed is full (503 then, before the upgrade). */
  private void upgrade(RoutingContext ctx) {
    if (feed.full()) {
      ctx.response().putHeader("Retry-After", "5");
      new Problem("/problems/too-many-live-clients", "Service Unavailable", 503, "this gateway serves at most "
          + feed.maxClients() + " live clients (http.ws.maxClients); try again later", null).send(ctx.response());
      return;
    }
    ctx.request().toWebSocket().onSuccess(feed::accept)
        .onFailure(failure -> LOG.log(System.Logger.Level.DEBUG, "status API: WebSocket upgrade failed: " + failure));
  }

  /** The port actually bound (differs from the configured one when that was 0). */
  int actualPort() {
    return server.actualPort();
  }

  /**
   * Liveness and readiness ({@link NodeProbes}): ready when NATS is connected, the node is in the
   * cluster and an assignment is known (a leader answered or broadcast one); ingesting or standing
   * by are both ready.
   */
  private NodeProbes probes() {
    Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    checks.put("nats", () -> nats.getStatus() == Connection.Status.CONNECTED);
    checks.put("cluster", clusterRunning);
    checks.put("assignment", () -> assignmentKnown);
    return new NodeProbes(checks, () -> new JsonObject().put("nats", nats.getStatus().name())
        .put("ingestion", ingestion()).put("lanes", new JsonArray(List.copyOf(new TreeSet<>(lanesHeld.get()))))
        .put("laneCount", laneCount), registry);
  }

  /** Until an assignment is known: asks the leader every second (and any broadcast counts). */
  private void learnWhetherAnAssignmentIsKnown() {
    io.vertx.core.eventbus.MessageConsumer<Object> broadcasts =
        vertx.eventBus().consumer(Addresses.ASSIGNMENT, message -> assignmentKnown = true);
    vertx.setPeriodic(0, 1_000, id -> {
      if (assignmentKnown) {
        vertx.cancelTimer(id);
        broadcasts.unregister(); // known once is known: every later broadcast would only be delivered here for nothing
        return;
      }
      vertx.eventBus().request(Addresses.ASSIGNMENT_CURRENT, new JsonObject(), new DeliveryOptions().setSendTimeout(1_000))
          .onSuccess(reply -> assignmentKnown = true);
    });
  }

  /** {@code active} while this gateway holds an ingestion lane, {@code standby} otherwise. */
  private String ingestion() {
    return lanesHeld.get().isEmpty() ? "standby" : "active";
  }

  /** The leader's view ({@link LeaderView}: the newest it published, else asked of it), with lag verdicts. */
  private void cluster(RoutingContext ctx) {
    leaderView.current(LEADER_TIMEOUT_MILLIS)
        .onSuccess(view -> json(ctx, 200, pulse.withLagVerdicts(view)))
        .onFailure(failure -> Problem.noLeader("no leader answered within " + LEADER_TIMEOUT_MILLIS + " ms: "
            + failure.getMessage()).send(ctx.response()));
  }

  /**
   * The current assignment, optionally filtered ({@code ?defender=ID&tool=TOOL}) and paged in chamber
   * order ({@code &offset=N&limit=M}, at most {@link #MAX_PAGE}); {@code count} is every match.
   */
  private void assignments(RoutingContext ctx) {
    String defender = ctx.request().getParam("defender");
    String tool = ctx.request().getParam("tool");
    Integer offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    Integer limit = offset == null ? null : intParam(ctx, "limit", Integer.MAX_VALUE, 1, MAX_PAGE);
    if (limit == null) {
      return; // answered with a problem
    }
    vertx.eventBus().<JsonObject>request(Addresses.ASSIGNMENT_CURRENT, new JsonObject(),
            new DeliveryOptions().setSendTimeout(LEADER_TIMEOUT_MILLIS))
        .onSuccess(reply -> {
          AssignmentSnapshot snapshot = AssignmentSnapshot.fromJson(reply.body());
          JsonObject chambers = new JsonObject();
          int[] matching = {0};
          snapshot.chambers().forEach((chamber, entry) -> {
            boolean ofDefender = defender == null || defender.equals(entry.owner()) || defender.equals(entry.leasedTo());
            if (ofDefender && (tool == null || tool.equals(chamber.toolId()))) {
              int index = matching[0]++;
              if (index >= offset && index - offset < limit) {
                JsonObject line = new JsonObject().put("owner", entry.owner());
                if (entry.leasedTo() != null) {
                  line.put("leasedTo", entry.leasedTo());
                }
                chambers.put(chamber.toString(), line.put("weight", entry.weight()));
              }
            }
          });
          json(ctx, 200, new JsonObject().put("epoch", snapshot.epoch()).put("count", matching[0]).put("offset", offset)
              .put("chambers", chambers));
        })
        .onFailure(failure -> Problem.noLeader("no leader answered: " + failure.getMessage()).send(ctx.response()));
  }

  /** An integer query parameter in [min, max], {@code absent} when missing; null after answering 400. */
  private static Integer intParam(RoutingContext ctx, String name, int absent, int min, int max) {
    String text = ctx.request().getParam(name);
    if (text == null) {
      return absent;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    Problem.badInput(name, name + " must be an integer from " + min + " to " + max + ", was '" + text + "'")
        .send(ctx.response());
    return null;
  }

  /** One defender: the leader's line for it, and the chambers it is home of and serves for others. */
  private void defender(RoutingContext ctx) {
    String defenderId = ctx.pathParam("id");
    String problem = Ids.problem(defenderId);
    if (problem != null) {
      Problem.badInput("id", "defender id '" + defenderId + "' " + problem).send(ctx.response());
      return;
    }
    DeliveryOptions bounded = new DeliveryOptions().setSendTimeout(LEADER_TIMEOUT_MILLIS);
    Future<ClusterStatus> status = leaderView.current(LEADER_TIMEOUT_MILLIS);
    Future<JsonObject> current = vertx.eventBus().<JsonObject>request(Addresses.ASSIGNMENT_CURRENT, new JsonObject(), bounded)
        .map(io.vertx.core.eventbus.Message::body);
    Future.all(status, current).onSuccess(both -> {
      ClusterStatus.Defender line = status.result().defender(defenderId).orElse(null);
      if (line == null) {
        Problem.notFound("the leader knows no defender '" + defenderId + "'").send(ctx.response());
        return;
      }
      JsonArray home = new JsonArray();
      JsonArray deputyFor = new JsonArray();
      AssignmentSnapshot.fromJson(current.result()).chambers().forEach((chamber, entry) -> {
        if (defenderId.equals(entry.owner())) {
          home.add(chamber.toString());
        }
        if (defenderId.equals(entry.leasedTo())) {
          deputyFor.add(chamber.toString());
        }
      });
      json(ctx, 200, line.toJson().put("homeChambers", home).put("deputyFor", deputyFor));
    }).onFailure(failure -> Problem.noLeader("no leader answered: " + failure.getMessage()).send(ctx.response()));
  }

  /** One chamber: who owns and serves it, its weight, and its last verdict (from the verdict stream). */
  private void chamber(RoutingContext ctx) {
    ChamberKey chamber = chamberOf(ctx);
    if (chamber == null) {
      return;
    }
    String toolId = chamber.toolId();
    String chamberId = chamber.chamberId();
    Future<ChamberDetail> known = vertx.eventBus().<JsonObject>request(Addresses.LEADER_CHAMBER,
            new ChamberDetail.Query(chamber).toJson(), new DeliveryOptions().setSendTimeout(LEADER_TIMEOUT_MILLIS))
        .map(io.vertx.core.eventbus.Message::body).map(ChamberDetail::fromJson);
    vertx.eventBus().<JsonObject>request(Addresses.ASSIGNMENT_CURRENT, new JsonObject(),
            new DeliveryOptions().setSendTimeout(LEADER_TIMEOUT_MILLIS))
        .onFailure(failure -> Problem.noLeader("no leader answered: " + failure.getMessage()).send(ctx.response()))
        .onSuccess(reply -> {
          AssignmentSnapshot snapshot = AssignmentSnapshot.fromJson(reply.body());
          if (!snapshot.knows(chamber)) {
            Problem.notFound("the assignment (epoch " + snapshot.epoch() + ") has no chamber " + chamber).send(ctx.response());
            return;
          }
          AssignmentSnapshot.Entry entry = snapshot.chambers().get(chamber);
          Future<JsonObject> verdicts = vertx.executeBlocking(() -> lastVerdict(chamber));
          Future.join(verdicts, known).onComplete(both -> {
            Future<JsonObject> verdict = verdicts;
            GatewayActivity.ChamberLatency latency = activity.latencyOf(chamber);
            GatewayActivity.Held held = activity.heldOf(chamber);
            // The leader's part is null when it did not answer (or its answer could not be read).
            ChamberDetail detail = known.succeeded() ? known.result() : null;
            JsonObject body = new JsonObject()
                .put("chamber", chamber.toString()).put("toolId", toolId).put("chamberId", chamberId)
                .put("epoch", snapshot.epoch()).put("owner", entry.owner()).put("leasedTo", entry.leasedTo())
                .put("servedBy", entry.servedBy()).put("weight", entry.weight())
                .put("lastVerdict", verdict.succeeded() ? verdict.result() : null)
                .put("profile", detail == null || detail.profile() == null ? null : ProfileChange.profileJson(detail.profile()))
                .put("formulaWeight", detail == null ? null : detail.formulaWeight())
                .put("observedMillisPerContext", detail == null ? null : detail.observedMillisPerContext())
                .put("weightSource", detail == null || detail.weightSource() == null ? null : detail.weightSource().name())
                .put("latency", new JsonObject().put("samples", latency.samples()).put("p50Millis", latency.p50Millis())
                    .put("p99Millis", latency.p99Millis()))
                .put("pending", held.events())
                .put("oldestPendingAgeMillis", held.events() == 0 ? 0 : Math.max(0, System.currentTimeMillis()
                    - held.oldestCompletedAt()))
                .put("moves", history.movesOf(chamber.toString()));
            if (verdict.failed()) {
              body.put("lastVerdictUnavailable", String.valueOf(verdict.cause().getMessage()));
            }
            json(ctx, 200, body);
          });
        });
  }

  /** The chamber's newest verdict in the verdict stream, or null if it has none. */
  private JsonObject lastVerdict(ChamberKey chamber) throws Exception {
    try {
      return new JsonObject(io.vertx.core.buffer.Buffer.buffer(nats.jetStreamManagement()
          .getLastMessage(Subjects.VERDICT_STREAM, Subjects.verdict(chamber)).getData()));
    } catch (io.nats.client.JetStreamApiException e) {
      if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
        return null; // no verdict yet
      }
      throw e;
    }
  }

  /** Operator: drain a defender (its chambers move away; it keeps running with none) or undrain it. */
  private void drain(RoutingContext ctx, boolean drain) {
    String defenderId = ctx.pathParam("id");
    String problem = Ids.problem(defenderId);
    if (problem != null) {
      Problem.badInput("id", "defender id '" + defenderId + "' " + problem).send(ctx.response());
      return;
    }
    askLeader(ctx, Addresses.DEFENDER_DRAIN, new DefenderMessages.DrainRequest(defenderId, drain).toJson(),
        reply -> DefenderMessages.DrainState.fromJson(reply).toJson());
  }

  /**
   * Operator: registers or updates a chamber's profile ({@code {"svidCount","hz","contextSeconds"}}).
   * The leader stores it (a new leader applies it over the catalog), places a new chamber with its
   * next chamber batch, and weighs a changed one at the next rebalance ({@code POST /api/rebalance}).
   */
  private void putProfile(RoutingContext ctx) {
    ChamberKey chamber = chamberOf(ctx);
    if (chamber == null) {
      return;
    }
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    for (String field : new String[] {"svidCount", "hz", "contextSeconds"}) {
      if (!(body.getValue(field) instanceof Number)) {
        Problem.badInput(field, field + " is required and must be a number, was " + describe(body.getValue(field)))
            .send(ctx.response());
        return;
      }
    }
    ChamberProfile profile;
    try {
      profile = ProfileChange.profileOf(chamber, body);
    } catch (IllegalArgumentException e) {
      Problem.badInput(fieldNamedIn(e.getMessage()), e.getMessage()).send(ctx.response());
      return;
    }
    askLeader(ctx, Addresses.CHAMBER_PROFILE, new ProfileChange(chamber, profile, System.currentTimeMillis(), "status API")
        .toJson(), reply -> OperatorMessages.ProfileApplied.fromJson(reply).toJson());
  }

  /** Operator: removes (decommissions) a chamber: it leaves the assignment, and the catalog file will not bring it back. */
  private void removeChamber(RoutingContext ctx) {
    ChamberKey chamber = chamberOf(ctx);
    if (chamber != null) {
      askLeader(ctx, Addresses.CHAMBER_PROFILE, new ProfileChange(chamber, null, System.currentTimeMillis(), "status API")
          .toJson(), reply -> OperatorMessages.ProfileApplied.fromJson(reply).toJson());
    }
  }

  /** Operator: a full rebalance now (say after profile changes), within the engine's movement bound. */
  private void rebalance(RoutingContext ctx) {
    askLeader(ctx, Addresses.REBALANCE, new OperatorMessages.RebalanceRequest("status API").toJson(),
        reply -> OperatorMessages.Rebalanced.fromJson(reply).toJson());
  }

  /**
   * Sends an operation to the leader: its reply, read by {@code typed} (the reply's codec, decoded and
   * encoded again), is the response; its refusal a 400, its absence — or a reply that cannot be read — a 503.
   */
  private void askLeader(RoutingContext ctx, String address, JsonObject body, UnaryOperator<JsonObject> typed) {
    vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(LEADER_TIMEOUT_MILLIS))
        .onSuccess(reply -> {
          JsonObject response;
          try {
            response = typed.apply(reply.body());
          } catch (IllegalArgumentException e) {
            Problem.noLeader("the leader's reply could not be read: " + e.getMessage()).send(ctx.response());
            return;
          }
          json(ctx, 200, response);
        })
        .onFailure(failure -> {
          if (failure instanceof ReplyException refused && refused.failureType() == ReplyFailure.RECIPIENT_FAILURE
              && refused.failureCode() == 400) {
            Problem.badInput(null, refused.getMessage()).send(ctx.response());
          } else {
            Problem.noLeader("no leader answered: " + failure.getMessage()).send(ctx.response());
          }
        });
  }

  /** The request body as a JSON object, or null after answering 400. */
  private static JsonObject jsonBody(RoutingContext ctx) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      Problem.badInput(null, "the request needs a JSON object body").send(ctx.response());
      return null;
    }
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(text);
      if (parsed instanceof JsonObject object) {
        return object;
      }
      Problem.badInput(null, "the body must be a JSON object, was " + describe(parsed)).send(ctx.response());
    } catch (io.vertx.core.json.DecodeException e) {
      // Jackson's message quotes the input and names its own classes: say where, not what it thought.
      Problem.badInput(null, "the body is not valid JSON" + where(e)).send(ctx.response());
    }
    return null;
  }

  /** {@code " (line L, column C)"} from a JSON parse failure, or nothing when it does not say. */
  private static String where(io.vertx.core.json.DecodeException e) {
    java.util.regex.Matcher at = java.util.regex.Pattern.compile("line: (\\d+), column: (\\d+)")
        .matcher(String.valueOf(e.getMessage()));
    return at.find() ? " (line " + at.group(1) + ", column " + at.group(2) + ")" : "";
  }

  private static String describe(Object value) {
    if (value == null) {
      return "missing";
    }
    String type = value instanceof String ? "a string" : value instanceof JsonArray ? "an array"
        : value instanceof JsonObject ? "an object" : value instanceof Boolean ? "a boolean" : value.getClass().getSimpleName();
    return type;
  }

  /** The profile field a validation message starts with, if any. */
  private static String fieldNamedIn(String message) {
    for (String field : new String[] {"svidCount", "hz", "contextSeconds"}) {
      if (message.contains(field)) {
        return field;
      }
    }
    return null;
  }

  /** The chamber named by the path, or null after answering 400. */
  private static ChamberKey chamberOf(RoutingContext ctx) {
    String toolId = ctx.pathParam("toolId");
    String chamberId = ctx.pathParam("chamberId");
    for (String[] id : new String[][] {{"toolId", toolId}, {"chamberId", chamberId}}) {
      String problem = Ids.problem(id[1]);
      if (problem != null) {
        Problem.badInput(id[0], id[0] + " '" + id[1] + "' " + problem).send(ctx.response());
        return null;
      }
    }
    return new ChamberKey(toolId, chamberId);
  }

  /**
   * The newest history entries, oldest first: {@code ?limit=} (1–{@link HistoryFeed#RECENT}, default
   * {@link #HISTORY_PAGE}), {@code &kind=leader|state|assignment|defender}, {@code &defender=},
   * {@code &chamber=tool:chamber} (an assignment entry that lists its move).
   */
  private void history(RoutingContext ctx) {
    Integer limit = intParam(ctx, "limit", HISTORY_PAGE, 1, HistoryFeed.RECENT);
    if (limit == null) {
      return;
    }
    String kind = ctx.request().getParam("kind");
    if (kind != null && !List.of("leader", "state", "assignment", "defender").contains(kind)) {
      Problem.badInput("kind", "kind must be one of leader, state, assignment, defender; was '" + kind + "'")
          .send(ctx.response());
      return;
    }
    String defender = ctx.request().getParam("defender");
    String chamber = ctx.request().getParam("chamber");
    JsonArray entries = new JsonArray();
    history.newest(limit, entry -> (kind == null || kind.equalsIgnoreCase(entry.kind().name()))
            && (defender == null || entry.concernsDefender(defender)) && (chamber == null || entry.movesChamber(chamber)))
        .forEach(entry -> entries.add(entry.toJson()));
    json(ctx, 200, new JsonObject().put("entries", entries));
  }

  private static String openApiDocument() {
    try (var in = StatusApiVerticle.class.getResourceAsStream("/openapi.yaml")) {
      return new String(java.util.Objects.requireNonNull(in, "openapi.yaml is missing from the gateway jar").readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encodePrettily());
  }
}
