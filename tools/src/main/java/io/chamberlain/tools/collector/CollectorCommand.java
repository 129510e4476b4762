package io.chamberlain.tools.collector;

import io.chamberlain.cluster.NodeLogging;
import io.chamberlain.config.NatsSettings;
import io.chamberlain.defense.TraceCodec;
import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.domain.CompletionEvent;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.nats.NatsConnector;
import io.chamberlain.wire.CompletionCodec;
import io.chamberlain.wire.NatsHeaders;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.ObjectStore;
import io.vertx.core.Vertx;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chamberlain collector}: a simulated data collector. For the catalog's chambers, round-robin,
 * at a fixed total rate: generates the context's trace (deterministic from chamber and context,
 * faults injected at {@code --fault-rate}), stores it in the trace object store, then publishes the
 * completion event with its {@code traceRef} to JetStream with {@code Nats-Msg-Id = contextId}
 * (a republished event is stored once).
 *
 * <p>Every publish waits for JetStream's acknowledgement (asynchronously, so the rate holds): one
 * refused — the completions stream or the server's store full, no answer — is counted by reason and
 * printed ({@link RefusedPublishes}); so is a trace the object store refused (its event is then not
 * published). The run ends with a summary line and exit code {@value #SOME_REFUSED} if anything was
 * refused.
 */
@Command(name = "collector", mixinStandardHelpOptions = true,
    description = "Publishes simulated completion events for the configured chambers.")
public final class CollectorCommand implements Callable<Integer> {

  @Option(names = "--nats", defaultValue = "${env:CHAMBERLAIN_NATS_URL:-nats://127.0.0.1:4222}",
      description = "NATS URL (default: ${DEFAULT-VALUE}); credentials and TLS come from the CHAMBERLAIN_NATS_* "
          + "variables, as the nodes read them (README, Security)")
  String natsUrl;

  @Option(names = "--chambers", defaultValue = "config/chambers.yaml",
      description = "chamber catalog YAML (default: ${DEFAULT-VALUE})")
  String chambersFile;

  @Option(names = "--rate", defaultValue = "10", description = "events per second, all chambers together (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--count", defaultValue = "0", description = "stop after this many events (0 = run until stopped)")
  long count;

  @Option(names = "--traces", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "store each context's trace in the object store and send its traceRef (default: ${DEFAULT-VALUE})")
  boolean storeTraces;

  @Option(names = "--trace-ttl-minutes", defaultValue = "5", description = "how long stored traces are kept (default: ${DEFAULT-VALUE})")
  long traceTtlMinutes;

  @Option(names = "--fault-rate", defaultValue = "0.02", description = "share of traces with an injected fault (default: ${DEFAULT-VALUE})")
  double faultRate;

  @Option(names = "--nats-replicas", defaultValue = "${env:CHAMBERLAIN_NATS_REPLICAS:-1}",
      description = "copies of the trace object store if this creates it: nats.replicas of the cluster (default: ${DEFAULT-VALUE})")
  int replicas;

  /** Exit code of a run in which JetStream refused at least one trace or event. */
  static final int SOME_REFUSED = 3;

  @Option(names = "--seed", defaultValue = "1", description = "trace generator seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() throws Exception {
    NodeLogging.init();
    if (!(rate > 0)) {
      throw new IllegalArgumentException("--rate must be > 0, was " + rate);
    }
    List<ChamberProfile> chambers = loadChambers();
    if (chambers.isEmpty()) {
      throw new IllegalArgumentException(chambersFile + " declares no chambers");
    }
    String runId = Long.toString(System.currentTimeMillis(), 36);
    TraceGenerator generator = new TraceGenerator(new TraceGenerator.Settings(seed, faultRate, 3));
    RefusedPublishes tally = new RefusedPublishes(System.out);
    Set<CompletableFuture<?>> awaitingAck = ConcurrentHashMap.newKeySet();
    try (Connection nats = NatsConnector.connect(NatsSettings.fromEnvironment(System.getenv()).withUrl(natsUrl),
        "collector")) {
      JetStream jetStream = nats.jetStream();
      ObjectStore traces = null;
      if (storeTraces) {
        JetStreamSetup.ensureTraces(nats, Duration.ofMinutes(traceTtlMinutes), replicas);
        traces = nats.objectStore(Subjects.TRACE_BUCKET);
      }
      long periodNanos = (long) (1e9 / rate);
      long next = System.nanoTime();
      for (long n = 0; count == 0 || n < count; n++) {
        ChamberProfile profile = chambers.get((int) (n % chambers.size()));
        ChamberKey chamber = profile.chamber();
        String contextId = runId + "-" + n;
        String traceRef = null;
        boolean traceStored = true;
        if (traces != null) {
          // The trace is stored before the completion is published: a defender never waits for it.
          try {
            traces.put(contextId, TraceCodec.encode(generator.generate(profile, contextId).trace()));
            traceRef = contextId;
          } catch (IOException | JetStreamApiException e) {
            tally.refused("trace of context [" + contextId + "]", e);
            traceStored = false;
          }
        }
        if (traceStored) {
          CompletionEvent event = new CompletionEvent(chamber, contextId, System.currentTimeMillis(), traceRef);
          CompletableFuture<?> acked = jetStream.publishAsync(Subjects.completed(chamber),
              NatsHeaders.msgId(event.contextId()), CompletionCodec.toJson(event).toBuffer().getBytes());
          awaitingAck.add(acked);
          acked.whenComplete((ack, failure) -> {
            awaitingAck.remove(acked);
            if (failure == null) {
              tally.accepted();
            } else {
              tally.refused("event of context [" + contextId + "]", failure);
            }
          });
        }
        next += periodNanos;
        LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
      }
      nats.flush(java.time.Duration.ofSeconds(10));
      // Every answer, refusals included, before the summary; one that never comes is a refusal too.
      try {
        CompletableFuture.allOf(awaitingAck.stream().map(f -> f.handle((ack, failure) -> null))
            .toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        awaitingAck.forEach(unanswered -> tally.refused("an event", new TimeoutException("no acknowledgement in 30 s")));
      }
    }
    System.out.println(tally.summary());
    return tally.refusedCount() == 0 ? 0 : SOME_REFUSED;
  }

  private List<ChamberProfile> loadChambers() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      return io.chamberlain.cluster.CatalogLoader.load(vertx, chambersFile).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } finally {
      vertx.close();
    }
  }
}
