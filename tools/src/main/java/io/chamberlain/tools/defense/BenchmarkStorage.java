package io.chamberlain.tools.defense;

import io.chamberlain.domain.ChamberKey;
import io.nats.client.JetStreamApiException;
import java.io.IOException;

/**
 * Where {@link ProcessingBenchmark} keeps each context's trace and each chamber's state: in memory
 * ({@link InMemory}, the default — reading and writing are free, so the benchmark shows the judge's
 * cost alone), or in NATS ({@link NatsBenchmarkStorage} — object store and KV, read and written the
 * way a defender does, so the benchmark shows the cost end to end). Blocking, one thread.
 */
interface BenchmarkStorage extends AutoCloseable {

  /** The collector's part, not timed: store the encoded trace of the chamber's context. */
  void storeTrace(ChamberKey chamber, String contextId, byte[] encodedTrace) throws Exception;

  /** Timed: the defender reads the stored trace back. */
  byte[] fetchTrace(ChamberKey chamber, String contextId) throws Exception;

  /** Timed: the defender writes the chamber's new state, compare-and-set on the revision it wrote last. */
  void saveState(ChamberKey chamber, byte[] state) throws Exception;

  /** Not timed: the context's trace is not needed any more. */
  void discardTrace(ChamberKey chamber, String contextId) throws Exception;

  /** Removes whatever the run left behind. */
  @Override
  void close() throws IOException, JetStreamApiException;

  /** Keeps the last stored trace in a field; reading it back and saving a state cost nothing. */
  final class InMemory implements BenchmarkStorage {

    private byte[] lastTrace;

    @Override
    public void storeTrace(ChamberKey chamber, String contextId, byte[] encodedTrace) {
      lastTrace = encodedTrace;
    }

    @Override
    public byte[] fetchTrace(ChamberKey chamber, String contextId) {
      return lastTrace;
    }

    @Override
    public void saveState(ChamberKey chamber, byte[] state) {
      // the state's bytes exist already; keeping them costs nothing worth measuring
    }

    @Override
    public void discardTrace(ChamberKey chamber, String contextId) {
      lastTrace = null;
    }

    @Override
    public void close() {
      lastTrace = null;
    }
  }
}
