package io.chamberlain.gateway;

import io.chamberlain.config.BearerToken;
import io.chamberlain.config.HttpSecurity;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CSPHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.HSTSHandler;
import io.vertx.ext.web.handler.XFrameHandler;
import java.util.Set;

/**
 * Who may use the status API and what every reply carries ({@link HttpSecurity}):
 * <ul>
 *   <li>Security headers on every response (CSP {@code default-src 'self'} with {@code frame-ancestors 'none'},
 *       which the dashboard passes — it has no inline script or style; X-Frame-Options DENY, nosniff,
 *       no referrer; HSTS only over TLS: a browser that saw it on plain HTTP would lock itself out).</li>
 *   <li>CORS closed by default: no {@code Access-Control-*} header unless origins are configured, then
 *       only for those ({@link CorsHandler}).</li>
 *   <li>Reads ({@code /api/*}, {@code /ws}, {@code /metrics}) need {@code http.readToken} when it is set;
 *       the operations token grants read too. A browser's WebSocket cannot send headers, so {@code /ws}
 *       also takes the token as {@code ?access_token=} (RFC 6750 §2.3).</li>
 *   <li>Operations need {@code http.adminToken}.</li>
 * </ul>
 * Tokens are compared in constant time ({@link BearerToken}) and never logged or echoed.
 */
final class ApiGuard {

  /** The query parameter that carries the read token on {@code /ws} (a browser's WebSocket sends no headers). */
  static final String ACCESS_TOKEN_PARAM = "access_token";

  private final HttpSecurity security;
  private final BearerToken adminToken;
  private final BearerToken readToken;

  ApiGuard(HttpSecurity security, String adminToken) {
    this.security = security;
    this.adminToken = BearerToken.of(adminToken);
    this.readToken = BearerToken.of(security.readToken());
  }

  /** The server's TLS settings when a certificate is configured (HTTPS only: no plain listener beside it). */
  HttpServerOptions withTls(HttpServerOptions options) {
    if (!security.tls()) {
      return options;
    }
    return options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(security.tlsCertFile())
        .setKeyPath(security.tlsKeyFile()));
  }

  /** First on the router: the headers every response carries, then CORS when origins are configured. */
  void install(Router router) {
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer");
      ctx.next();
    });
    // Everything from this origin, nothing inline, never framed.
    router.route().handler(CSPHandler.create().setDirective("default-src", "'self'").addDirective("base-uri", "'none'")
        .addDirective("object-src", "'none'").addDirective("form-action", "'self'")
        .addDirective("frame-ancestors", "'none'"));
    router.route().handler(XFrameHandler.create(XFrameHandler.DENY));
    if (security.tls()) {
      router.route().handler(HSTSHandler.create());
    }
    if (!security.corsAllowedOrigins().isEmpty()) {
      router.route().handler(CorsHandler.create().addOrigins(security.corsAllowedOrigins())
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE))
          .allowedHeaders(Set.of("Authorization", "Content-Type", "Accept"))
          .exposedHeaders(Set.of("Retry-After", "WWW-Authenticate")).maxAgeSeconds(600));
    }
  }

  /** A route handler: passes a request that may read, answers 401/403 otherwise. */
  void requireRead(RoutingContext ctx) {
    if (!readToken.isSet()) {
      ctx.next();
      return;
    }
    String presented = presented(ctx, true);
    if (presented == null) {
      Problem.unauthenticated("reading needs 'Authorization: Bearer <http.readToken>' (or the operations token)")
          .send(ctx.response());
    } else if (!readToken.matches(presented) && !adminToken.matches(presented)) {
      Problem.forbidden("the bearer token is neither this gateway's http.readToken nor its http.adminToken")
          .send(ctx.response());
    } else {
      ctx.next();
    }
  }

  /**
   * Runs an operation if the request carries {@code Authorization: Bearer <http.adminToken>}: 401
   * without credentials, 403 with the wrong ones, 403 when no token is configured (operations are then off).
   */
  void operator(RoutingContext ctx, Runnable operation) {
    if (!adminToken.isSet()) {
      Problem.forbidden("operations are disabled: set http.adminToken (CHAMBERLAIN_HTTP_ADMIN_TOKEN)").send(ctx.response());
      return;
    }
    String presented = presented(ctx, false);
    if (presented == null) {
      Problem.unauthenticated("operations need 'Authorization: Bearer <http.adminToken>'").send(ctx.response());
    } else if (!adminToken.matches(presented)) {
      Problem.forbidden("the bearer token is not this cluster's http.adminToken").send(ctx.response());
    } else {
      operation.run();
    }
  }

  /** The bearer token of the request, or null: the header, else (on {@code /ws} only) the query parameter. */
  private static String presented(RoutingContext ctx, boolean queryAllowed) {
    String fromHeader = BearerToken.presented(ctx.request().getHeader("Authorization"));
    if (fromHeader != null) {
      return fromHeader;
    }
    if (queryAllowed && "/ws".equals(ctx.normalizedPath())) {
      return ctx.request().getParam(ACCESS_TOKEN_PARAM);
    }
    return null;
  }
}
