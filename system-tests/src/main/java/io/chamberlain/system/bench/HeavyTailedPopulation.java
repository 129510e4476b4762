package io.chamberlain.system.bench;

import io.chamberlain.config.NatsSettings;
import io.chamberlain.nats.NatsOptions;
import io.chamberlain.defense.TraceCodec;
import io.chamberlain.defense.TraceGenerator;
import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.nats.JetStreamSetup;
import io.chamberlain.wire.Subjects;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.ObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The bench's third population: chambers whose weights are heavy-tailed, like a fab's — 70 % light
 * (20–60 SVIDs × 1 Hz × 120–300 s), 25 % medium (100–200 SVIDs × 1–2 Hz × 300–600 s), 5 % heavy
 * (300–500 SVIDs × 2–5 Hz × 300 s, up to 750,000 points) — judged by the built-in defense from traces
 * stored in the trace object store, as a collector leaves them. Profiles are seeded (the same
 * population every run) and go into the catalog; one trace per chamber is stored before the runs
 * and every event of the chamber names it ({@code traceRef}), so the object store holds a bounded
 * amount while each event still costs a fetch and a decode of its chamber's full trace.
 */
final class HeavyTailedPopulation {

  static final String PREFIX = "bh";
  private static final long SEED = 42;

  private HeavyTailedPopulation() {
  }

  static List<ChamberProfile> profiles(int count) {
    SplittableRandom random = new SplittableRandom(SEED);
    List<ChamberProfile> profiles = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      ChamberKey chamber = new ChamberKey(String.format("%s%04d", PREFIX, i), "1");
      double tier = random.nextDouble();
      if (tier < 0.70) {
        profiles.add(new ChamberProfile(chamber, random.nextInt(20, 61), 1, random.nextInt(120, 301)));
      } else if (tier < 0.95) {
        profiles.add(new ChamberProfile(chamber, random.nextInt(100, 201), random.nextInt(1, 3), random.nextInt(300, 601)));
      } else {
        profiles.add(new ChamberProfile(chamber, random.nextInt(300, 501), random.nextInt(2, 6), 300));
      }
    }
    return profiles;
  }

  /** Stores one generated trace per chamber in the trace object store; returns each chamber's trace name. */
  static Map<ChamberKey, String> storeTraces(String natsUrl, List<ChamberProfile> profiles) throws Exception {
    TraceGenerator generator = new TraceGenerator(new TraceGenerator.Settings(SEED, 0.02, 3));
    Map<ChamberKey, String> names = new LinkedHashMap<>();
    try (Connection nats = Nats.connect(NatsOptions.builder(NatsSettings.plain(natsUrl), "bench-traces").build())) {
      JetStreamSetup.ensureTraces(nats, Duration.ofHours(1));
      ObjectStore traces = nats.objectStore(Subjects.TRACE_BUCKET);
      for (ChamberProfile profile : profiles) {
        String name = "bench-" + profile.chamber().toolId() + "-" + profile.chamber().chamberId();
        byte[] bytes = TraceCodec.encode(generator.generate(profile, name).trace());
        traces.put(name, bytes);
        names.put(profile.chamber(), name);
      }
    }
    return names;
  }
}
