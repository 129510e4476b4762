package io.chamberlain.gateway;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Operations per client address and minute ({@code http.operations.ratePerMinute}): each address has a
 * resilience4j {@link RateLimiter} of that many permits per minute; a request beyond them gets a 429
 * problem with {@code Retry-After} (whole seconds until the next permit). Counted before authentication,
 * so guessing the token is slowed too. At most {@link #MAX_CLIENTS} addresses are remembered (least
 * recently seen forgotten first), so a scan from many addresses costs bounded memory. Used on one
 * Vert.x context (the status API's), hence a plain map.
 */
final class OperationLimits {

  static final int MAX_CLIENTS = 4_096;

  private final RateLimiterConfig config;
  private final Counter limited;
  private final Map<String, AtomicRateLimiter> byClient = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, AtomicRateLimiter> eldest) {
      return size() > MAX_CLIENTS;
    }
  };

  /** @param perMinute permits per client and minute; 0: no limit */
  OperationLimits(int perMinute, MeterRegistry registry) {
    this.config = perMinute == 0 ? null : RateLimiterConfig.custom().limitForPeriod(perMinute)
        .limitRefreshPeriod(Duration.ofMinutes(1)).timeoutDuration(Duration.ZERO).build();
    this.limited = Counter.builder("chamberlain.http.operations.limited")
        .description("operation requests refused with 429 (http.operations.ratePerMinute)").register(registry);
  }

  /** A route handler: passes a request within its client's limit, answers 429 otherwise. */
  void handle(RoutingContext ctx) {
    if (config == null) {
      ctx.next();
      return;
    }
    String client = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    AtomicRateLimiter limiter = byClient.computeIfAbsent(client, name -> new AtomicRateLimiter(name, config));
    if (limiter.acquirePermission()) {
      ctx.next();
      return;
    }
    limited.increment();
    long retryAfterSeconds = Math.max(1, Duration.ofNanos(limiter.getDetailedMetrics().getNanosToWait()).toSeconds() + 1);
    ctx.response().putHeader("Retry-After", Long.toString(retryAfterSeconds));
    new Problem("/problems/too-many-requests", "Too Many Requests", 429, "at most " + config.getLimitForPeriod()
        + " operations per minute from one address (http.operations.ratePerMinute); retry in " + retryAfterSeconds + " s",
        null).send(ctx.response());
  }
}
