package io.chamberlain.worker.defense;

import io.chamberlain.domain.ChamberKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Picks the defense process of each chamber from an ordered rule list; the first rule whose
 * pattern ({@link ChamberPattern}) matches wins, and a chamber no rule matches gets the built-in
 * process with default settings. Config, e.g. under {@code worker.defense.processes}:
 * <pre>{@code
 * [ {"match": "etch*:*",      "process": "external", "options": {"command": ["python3", "defense.py"]}},
 *   {"match": "tool001:3",    "process": "builtin",  "options": {"warmupContexts": 50}} ]
 * }</pre>
 * Every rule's process is created up front, so a bad rule (unknown process name, bad options)
 * fails the worker at startup with a message naming the rule, not at the first event. One process
 * instance serves all chambers of its rule.
 */
public final class DefenseSelector implements AutoCloseable {

  private record Selection(ChamberPattern pattern, DefenseProcess process) {
  }

  private final List<Selection> selections = new ArrayList<>();
  private final DefenseProcess fallback;

  /** Uses the providers found by {@link ServiceLoader} on the class path. */
  public static DefenseSelector fromConfig(JsonArray rules) {
    Map<String, DefenseProcessProvider> providers = new TreeMap<>();
    for (DefenseProcessProvider provider : ServiceLoader.load(DefenseProcessProvider.class)) {
      if (providers.putIfAbsent(provider.name(), provider) != null) {
        throw new IllegalStateException("two defense process providers are named '" + provider.name() + "'");
      }
    }
    return new DefenseSelector(providers, rules);
  }

  DefenseSelector(Map<String, DefenseProcessProvider> providers, JsonArray rules) {
    List<DefenseProcess> created = new ArrayList<>();
    try {
      JsonArray list = rules == null ? new JsonArray() : rules;
      for (int i = 0; i < list.size(); i++) {
        if (!(list.getValue(i) instanceof JsonObject rule)) {
          throw new IllegalArgumentException("defense rule " + i + " is not an object: " + list.getValue(i));
        }
        if (!(rule.getValue("match") instanceof String match)) {
          throw new IllegalArgumentException("defense rule " + i + " needs a 'match' pattern string, had " + rule.getValue("match"));
        }
        ChamberPattern pattern = ChamberPattern.of(match);
        DefenseProcess process = create(providers, rule, i);
        created.add(process);
        selections.add(new Selection(pattern, process));
      }
      fallback = create(providers, new JsonObject().put("process", BuiltInDefenseProvider.NAME), -1);
    } catch (RuntimeException invalid) {
      created.forEach(DefenseProcess::close);
      throw invalid;
    }
  }

  public DefenseProcess processFor(ChamberKey chamber) {
    for (Selection selection : selections) {
      if (selection.pattern().matches(chamber)) {
        return selection.process();
      }
    }
    return fallback;
  }

  @Override
  public void close() {
    selections.forEach(selection -> selection.process().close());
    fallback.close();
  }

  private static DefenseProcess create(Map<String, DefenseProcessProvider> providers, JsonObject rule, int index) {
    String where = index < 0 ? "default defense process" : "defense rule " + index + " (" + rule.encode() + ")";
    Object name = rule.getValue("process");
    DefenseProcessProvider provider = name instanceof String text ? providers.get(text) : null;
    if (provider == null) {
      throw new IllegalArgumentException(where + ": unknown process '" + name + "'; known: " + providers.keySet());
    }
    Object options = rule.getValue("options");
    if (options != null && !(options instanceof JsonObject)) {
      throw new IllegalArgumentException(where + ": 'options' must be an object");
    }
    try {
      return provider.create((JsonObject) options);
    } catch (IllegalArgumentException invalid) {
      throw new IllegalArgumentException(where + ": " + invalid.getMessage(), invalid);
    }
  }
}
