package io.chamberlain.domain;

import java.util.regex.Pattern;

/**
 * The one naming rule for tool, chamber and defender ids.
 *
 * <p>Ids become NATS subject tokens ({@code dc.{toolId}.{chamberId}.completed}) and event-bus
 * addresses, so a dot, a space or a wildcard ({@code *}, {@code >}) would let one chamber's
 * traffic leak into another's. Everything is validated once, at the edge, with an error that
 * names the id and says why it was refused.
 */
public final class Ids {

  /** Letters, digits, {@code _} and {@code -}; 1 to 64 characters. */
  public static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  public static final int MAX_LENGTH = 64;

  private Ids() {
  }

  /**
   * @param what the role of the id in messages ("toolId", "chamberId", "defenderId")
   * @return {@code value}, if valid
   * @throws InvalidIdException naming {@code what}, the value and the reason
   */
  public static String require(String what, String value) {
    String problem = problem(value);
    if (problem != null) {
      throw new InvalidIdException(what + " " + quote(value) + " " + problem);
    }
    return value;
  }

  /** @return why {@code value} is not a valid id, or {@code null} if it is. */
  public static String problem(String value) {
    if (value == null) {
      return "is missing";
    }
    if (value.isEmpty()) {
      return "is empty";
    }
    if (value.length() > MAX_LENGTH) {
      return "is " + value.length() + " characters long (at most " + MAX_LENGTH + ")";
    }
    if (!ID_PATTERN.matcher(value).matches()) {
      return "contains characters other than letters, digits, '_' and '-'"
          + " (dots, spaces and the NATS wildcards '*' and '>' are not allowed)";
    }
    return null;
  }

  private static String quote(String value) {
    if (value == null) {
      return "(null)";
    }
    String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    return "'" + shown + "'";
  }

  /** A rejected id; the message is meant for the operator and says what was wrong. */
  public static final class InvalidIdException extends IllegalArgumentException {
    public InvalidIdException(String message) {
      super(message);
    }
  }
}
