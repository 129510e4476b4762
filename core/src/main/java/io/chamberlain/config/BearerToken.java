package io.chamberlain.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A configured bearer token ({@code http.readToken}, {@code http.adminToken}) and how a request's
 * credentials are checked against it: the one place where the gateway's status API and a worker's
 * {@code /metrics} parse {@code Authorization: Bearer <token>} and compare. The comparison is constant
 * time in the presented token's content ({@link MessageDigest#isEqual}: the configured token's length
 * may leak, not its bytes). The token is never printed.
 */
public final class BearerToken {

  private static final String SCHEME = "Bearer ";

  private final byte[] expected;

  private BearerToken(String token) {
    this.expected = token.getBytes(StandardCharsets.UTF_8);
  }

  /** @param token the configured token; empty: none is configured (nothing {@link #matches}) */
  public static BearerToken of(String token) {
    return new BearerToken(token);
  }

  /** Whether a token is configured. */
  public boolean isSet() {
    return expected.length > 0;
  }

  /**
   * The token of an {@code Authorization} header value ({@code Bearer <token>}, the scheme in any case,
   * the token stripped of surrounding blanks), or null when there is no header or another scheme.
   */
  public static String presented(String authorization) {
    if (authorization != null && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return authorization.substring(SCHEME.length()).strip();
    }
    return null;
  }

  /** Whether {@code presented} is this token; never when none is configured or nothing was presented. */
  public boolean matches(String presented) {
    return isSet() && presented != null
        && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected);
  }

  @Override
  public String toString() {
    return isSet() ? "(set)" : "(none)";
  }
}
