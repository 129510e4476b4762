package io.chamberlain.worker.defense;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code external}: a program in any language, see {@link ExternalProgramDefense}. Options:
 * <pre>
 * command          ["python3", "examples/defense-python/defense.py"]   required, argv (no shell)
 * input            indicators | trace                                  default indicators
 * instances        copies of the program                               default 1
 * timeoutMs        per request                                         default 2000
 * initialBackoffMs first restart delay, doubled per failure            default 200
 * maxBackoffMs     cap of the restart delay                            default 10000
 * maxLineChars     longest answer line; a longer one fails the request  default 1048576
 * </pre>
 */
public final class ExternalProgramDefenseProvider implements DefenseProcessProvider {

  public static final String NAME = "external";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public DefenseProcess create(JsonObject options) {
    JsonObject o = options == null ? new JsonObject() : options;
    if (!(o.getValue("command") instanceof JsonArray argv) || argv.isEmpty()) {
      throw new IllegalArgumentException("external defense option 'command' must be a non-empty array of strings, was "
          + o.getValue("command"));
    }
    List<String> command = new ArrayList<>();
    for (Object arg : argv) {
      if (!(arg instanceof String text)) {
        throw new IllegalArgumentException("external defense option 'command' must hold strings only, had " + arg);
      }
      command.add(text);
    }
    String input = o.getString("input", "indicators");
    ExternalProgramDefense.Input mode;
    try {
      mode = ExternalProgramDefense.Input.valueOf(input.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException("external defense option 'input' must be 'indicators' or 'trace', was '" + input + "'");
    }
    return new ExternalProgramDefense(NAME + ":" + command.get(command.size() - 1), command, mode,
        positive(o, "instances", 1), Duration.ofMillis(positive(o, "timeoutMs", 2000)),
        Duration.ofMillis(positive(o, "initialBackoffMs", 200)), Duration.ofMillis(positive(o, "maxBackoffMs", 10_000)),
        positive(o, "maxLineChars", ExternalProgramDefense.DEFAULT_MAX_LINE_CHARS));
  }

  private static int positive(JsonObject options, String field, int fallback) {
    Object value = options.getValue(field, fallback);
    if (!(value instanceof Number n) || n.intValue() < 1 || n.doubleValue() != n.intValue()) {
      throw new IllegalArgumentException("external defense option '" + field + "' must be a positive integer, was " + value);
    }
    return n.intValue();
  }
}
