package io.chamberlain.worker.defense;

import io.chamberlain.assign.StableHash;
import io.chamberlain.defense.ChamberDefenseState;
import io.chamberlain.defense.CorruptTraceException;
import io.chamberlain.defense.DefenseOutcome;
import io.chamberlain.defense.Indicators;
import io.chamberlain.defense.TraceCodec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a defense process written in any language as a long-running child program speaking
 * {@link ExternalProtocol} (JSON lines over stdin/stdout).
 *
 * <p>{@code instances} copies of the program run side by side; a chamber always uses the same
 * one (stable hash of its key), so its requests stay in order, and a hanging copy delays only the
 * chambers mapped to it, for at most one timeout. Requests to one copy are serialized. Idempotence
 * and state stay on the Java side: a context already judged is a {@code Duplicate} without asking
 * the program, and the program's {@code state} is kept in the chamber's {@link ChamberDefenseState}
 * (so it is persisted and moves with the chamber). Blocking: call from a worker thread only.
 */
public final class ExternalProgramDefense implements DefenseProcess {

  /** What the program gets: computed indicators, or the path of the trace file to read itself. */
  public enum Input { INDICATORS, TRACE }

  private static final System.Logger LOG = System.getLogger(ExternalProgramDefense.class.getName());
  private final String name;
  private final Input input;
  private final List<ProgramSession> sessions = new ArrayList<>();

  /** The longest answer line read by default: a verdict with its state is kilobytes. */
  public static final int DEFAULT_MAX_LINE_CHARS = 1 << 20;

  public ExternalProgramDefense(String name, List<String> command, Input input, int instances, Duration timeout,
                                Duration initialBackoff, Duration maxBackoff) {
    this(name, command, input, instances, timeout, initialBackoff, maxBackoff, DEFAULT_MAX_LINE_CHARS);
  }

  public ExternalProgramDefense(String name, List<String> command, Input input, int instances, Duration timeout,
                                Duration initialBackoff, Duration maxBackoff, int maxLineChars) {
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("external defense '" + name + "' needs a command");
    }
    if (instances < 1 || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("external defense '" + name + "' needs instances ≥ 1 and a positive timeout, got "
          + instances + " and " + timeout);
    }
    this.name = name;
    this.input = input;
    for (int i = 0; i < instances; i++) {
      sessions.add(new ProgramSession(name + "#" + i, command, timeout, new Backoff(initialBackoff, maxBackoff), maxLineChars));
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DefenseOutcome evaluate(DefenseRequest request) {
    ChamberDefenseState state = request.state();
    String contextId = request.event().contextId();
    if (state.alreadyJudged(contextId)) {
      return new DefenseOutcome.Duplicate(contextId);
    }
    Path traceFile = input == Input.TRACE ? writeTrace(request) : null;
    try {
      String line = ExternalProtocol.request(request.event(), request.trace(),
          input == Input.INDICATORS ? indicators(request) : null, traceFile, pluginState(state));
      ExternalProtocol.Response response = sessionFor(request).exchange(line,
          answer -> ExternalProtocol.response(answer, contextId, request.trace().svidCount()));
      state.pluginState(response.stateJson() == null ? null : response.stateJson().getBytes(StandardCharsets.UTF_8));
      state.markJudged(contextId);
      return new DefenseOutcome.Judged(response.verdict());
    } finally {
      deleteQuietly(traceFile);
    }
  }

  /** Program starts so far, summed over instances. */
  public int starts() {
    return sessions.stream().mapToInt(ProgramSession::starts).sum();
  }

  @Override
  public void close() {
    sessions.forEach(ProgramSession::close);
  }

  private ProgramSession sessionFor(DefenseRequest request) {
    long hash = StableHash.of(request.event().chamber().toString());
    return sessions.get((int) Math.floorMod(hash, (long) sessions.size()));
  }

  private static io.chamberlain.defense.IndicatorValues indicators(DefenseRequest request) {
    try {
      return Indicators.of(request.trace());
    } catch (CorruptTraceException corrupt) {
      throw new DefenseProcessException(corrupt.getMessage(), false, corrupt);
    }
  }

  /** The program's last state for this chamber; unreadable state is dropped (the program starts over), not fatal. */
  private Object pluginState(ChamberDefenseState state) {
    byte[] bytes = state.pluginState();
    try {
      return bytes == null ? null : Json.decodeValue(new String(bytes, StandardCharsets.UTF_8));
    } catch (DecodeException corrupt) {
      LOG.log(System.Logger.Level.WARNING, "defense: [{0}] dropped unreadable program state: {1}", name, corrupt.getMessage());
      return null;
    }
  }

  private static Path writeTrace(DefenseRequest request) {
    try {
      Path file = Files.createTempFile("chamberlain-trace-", ".bin");
      Files.write(file, TraceCodec.encode(request.trace()));
      return file;
    } catch (IOException io) {
      throw new DefenseProcessException("could not write the trace file for the external program: " + io.getMessage(), true, io);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }
}
