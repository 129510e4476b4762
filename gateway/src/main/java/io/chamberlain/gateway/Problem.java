package io.chamberlain.gateway;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * An HTTP error as an RFC 9457 problem document ({@code application/problem+json}): a {@code type}
 * naming the kind of problem (a relative URI, the same for every occurrence), the HTTP {@code title}
 * and {@code status}, a {@code detail} saying what was wrong in this request, and, for bad input,
 * the {@code field} at fault. Never a stack trace.
 */
record Problem(String type, String title, int status, String detail, String field) {

  static final String CONTENT_TYPE = "application/problem+json";

  static Problem badInput(String field, String detail) {
    return new Problem("/problems/bad-input", "Bad Request", 400, detail, field);
  }

  static Problem unauthenticated(String detail) {
    return new Problem("/problems/unauthenticated", "Unauthorized", 401, detail, null);
  }

  static Problem forbidden(String detail) {
    return new Problem("/problems/forbidden", "Forbidden", 403, detail, null);
  }

  static Problem notFound(String detail) {
    return new Problem("/problems/not-found", "Not Found", 404, detail, null);
  }

  static Problem noLeader(String detail) {
    return new Problem("/problems/no-leader", "Service Unavailable", 503, detail, null);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type).put("title", title).put("status", status).put("detail", detail);
    return field == null ? json : json.put("field", field);
  }

  void send(HttpServerResponse response) {
    if (status == 401) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"chamberlain\"");
    }
    response.setStatusCode(status).putHeader("content-type", CONTENT_TYPE).end(toJson().encodePrettily());
  }
}
