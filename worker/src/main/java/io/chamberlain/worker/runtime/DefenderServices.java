package io.chamberlain.worker.runtime;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.worker.defense.DefenseSelector;
import io.nats.client.JetStream;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What every chamber verticle of one defender shares: where verdicts go, where state and traces
 * live, which defense process serves which chamber, the warm-state cache, the cost meter, its metrics, and
 * whether NATS is reachable right now (a failure while it is not is the infrastructure's, not the
 * event's).
 */
public record DefenderServices(
    String defenderId,
    JetStream jetStream,
    ChamberStateStore states,
    TraceSource traces,
    DefenseSelector selector,
    Map<ChamberKey, ChamberProfile> catalog,
    ChamberCache cache,
    CostMeter costs,
    BooleanSupplier natsConnected,
    WorkerMetrics metrics,
    DefenseWork work) {

  public DefenderServices {
    catalog = Map.copyOf(catalog);
  }

  /** The chamber's declared profile, or the default one for a discovered chamber. */
  public ChamberProfile profileOf(ChamberKey chamber) {
    return catalog.getOrDefault(chamber, ChamberProfile.defaultFor(chamber));
  }
}
