package io.chamberlain.worker.defense;

import io.chamberlain.defense.BuiltInDefense;
import io.chamberlain.defense.ChamberDefenseState;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.DefenseSettings;
import io.vertx.core.json.JsonObject;

/**
 * {@code builtin}: indicators, learned control limits and run rules ({@link BuiltInDefense}).
 * Options, all optional (defaults in {@link DefenseSettings#DEFAULTS}): {@code warmupContexts},
 * {@code ewmaLambda}, {@code familyFalseAlarm} (0 = classic Western Electric),
 * {@code processedIdCapacity}, {@code maxListedViolations}, {@code perStepWindows} (boolean).
 */
public final class BuiltInDefenseProvider implements DefenseProcessProvider {

  public static final String NAME = "builtin";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public DefenseProcess create(JsonObject options) {
    DefenseSettings d = DefenseSettings.DEFAULTS;
    JsonObject o = options == null ? new JsonObject() : options;
    try {
      return new BuiltInProcess(new BuiltInDefense(new DefenseSettings(
          o.getInteger("warmupContexts", d.warmupContexts()),
          o.getDouble("ewmaLambda", d.ewmaLambda()),
          o.getDouble("familyFalseAlarm", d.familyFalseAlarm()),
          o.getInteger("processedIdCapacity", d.processedIdCapacity()),
          o.getInteger("maxListedViolations", d.maxListedViolations()),
          o.getBoolean("perStepWindows", d.perStepWindows()))));
    } catch (ClassCastException wrongType) {
      throw new IllegalArgumentException("builtin defense options must be numbers (perStepWindows a boolean): "
          + o.encode(), wrongType);
    }
  }

  /** The adapter from the SPI to the pure core. */
  static final class BuiltInProcess implements DefenseProcess {

    private final BuiltInDefense defense;

    BuiltInProcess(BuiltInDefense defense) {
      this.defense = defense;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public ChamberDefenseState newState() {
      return new ChamberDefenseState(defense.settings().processedIdCapacity());
    }

    @Override
    public DefenseOutcome evaluate(DefenseRequest request) {
      try {
        return defense.evaluate(request.state(), request.event().contextId(), request.trace());
      } catch (io.chamberlain.defense.CorruptTraceException corrupt) {
        throw new DefenseProcessException(corrupt.getMessage(), false, corrupt);
      }
    }
  }
}
