package io.chamberlain.tools.defense;

import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.config.NatsSettings;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.nats.NatsConnector;
import io.chamberlain.wire.Subjects;
import io.chamberlain.worker.runtime.ChamberStateStore;
import io.chamberlain.worker.runtime.TraceSource;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.ObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The benchmark's traces and states in a real NATS server, read and written by the defender's own
 * code: {@link TraceSource#fetch} from an object store, {@link ChamberStateStore#save} (KV
 * compare-and-set) — in buckets of their own ({@link Subjects#BENCH_TRACE_BUCKET},
 * {@link Subjects#BENCH_CHAMBER_STATE_BUCKET}) configured like the real ones, so a run against a
 * live cluster's server touches none of its data. Each trace is deleted once judged; both buckets
 * are deleted on {@link #close}. Connects once, without retrying, so a wrong URL fails at once.
 */
final class NatsBenchmarkStorage implements BenchmarkStorage {

  private static final Duration TRACE_TTL = Duration.ofHours(1);
  private static final long COMPLETED_AT = 1_700_000_000_000L;

  private final Connection nats;
  private final ObjectStore collectorSide;
  private final TraceSource defenderSide;
  private final ChamberStateStore states;
  private final Map<ChamberKey, Long> revisions = new HashMap<>();

  private NatsBenchmarkStorage(Connection nats) throws Exception {
    this.nats = nats;
    JetStreamSetup.ensureTraces(nats, Subjects.BENCH_TRACE_BUCKET, TRACE_TTL, 1);
    this.collectorSide = nats.objectStore(Subjects.BENCH_TRACE_BUCKET);
    this.defenderSide = new TraceSource(nats, new TraceGenerator(new TraceGenerator.Settings(1, 0, 1)),
        Subjects.BENCH_TRACE_BUCKET);
    this.states = ChamberStateStore.open(nats, Subjects.BENCH_CHAMBER_STATE_BUCKET, 1);
  }

  static NatsBenchmarkStorage connect(NatsSettings settings) throws Exception {
    Connection nats = NatsConnector.connectOnce(settings, "defense-bench");
    try {
      return new NatsBenchmarkStorage(nats);
    } catch (Exception setupFailed) {
      nats.close();
      throw setupFailed;
    }
  }

  @Override
  public void storeTrace(ChamberKey chamber, String contextId, byte[] encodedTrace) throws Exception {
    collectorSide.put(objectName(chamber, contextId), encodedTrace);
  }

  @Override
  public byte[] fetchTrace(ChamberKey chamber, String contextId) throws Exception {
    return defenderSide.fetch(new CompletionEvent(chamber, contextId, COMPLETED_AT, objectName(chamber, contextId)));
  }

  @Override
  public void saveState(ChamberKey chamber, byte[] state) throws Exception {
    Long expected = revisions.get(chamber);
    long revision = states.save(chamber, state, expected != null ? expected : states.revision(chamber));
    revisions.put(chamber, revision);
  }

  @Override
  public void discardTrace(ChamberKey chamber, String contextId) throws Exception {
    collectorSide.delete(objectName(chamber, contextId));
  }

  @Override
  public void close() throws IOException, JetStreamApiException {
    try {
      nats.objectStoreManagement().delete(Subjects.BENCH_TRACE_BUCKET);
      nats.keyValueManagement().delete(Subjects.BENCH_CHAMBER_STATE_BUCKET);
    } finally {
      try {
        nats.close();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String objectName(ChamberKey chamber, String contextId) {
    return chamber.toolId() + "." + chamber.chamberId() + "." + contextId;
  }
}
