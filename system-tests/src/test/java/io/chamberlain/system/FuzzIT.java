package io.chamberlain.system;

import static io.chamberlain.testkit.TestTimeouts.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.system.fuzz.FuzzRun;
import io.chamberlain.wire.AssignmentSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end fuzz round ({@link FuzzRun}) on a whole Chamberlain in this JVM (real nats-server,
 * clustered gateway and worker): a few hundred bad events of every kind among good ones over three
 * mixed chambers, three clean chambers beside them. {@code -Dfuzz.seed=N} replays, {@code -Dfuzz.cases=N}
 * sends more bad events; {@code bin/chamberlain fuzz} runs it longer.
 */
class FuzzIT {

  @Test
  void everyBadEventIsDeadLetteredOnceCountedAndNoChamberIsBlocked() throws Exception {
    long seed = Long.getLong("fuzz.seed", 20_260_413L);
    int cases = Integer.getInteger("fuzz.cases", 240);
    System.out.println("FuzzIT: seed " + seed + ", " + cases + " bad events (replay with -Dfuzz.seed=" + seed + ")");
    List<ChamberProfile> mixed = new ArrayList<>();
    List<ChamberProfile> clean = new ArrayList<>();
    StringBuilder catalog = new StringBuilder("chambers:\n");
    for (int i = 1; i <= 6; i++) {
      ChamberProfile profile = new ChamberProfile(new ChamberKey(String.format("tool%03d", i), "1"), 20, 2, 10);
      catalog.append(String.format("  - { tool: %s, chamber: \"1\", svidCount: 20, hz: 2, contextSeconds: 10 }%n",
          profile.chamber().toolId()));
      (i <= 3 ? mixed : clean).add(profile);
    }
    try (InJvmCluster cluster = new InJvmCluster(catalog.toString(), 1)) {
      await("every chamber owned").atMost(seconds(60)).ignoreExceptions().until(() -> {
        AssignmentSnapshot assignment = cluster.currentAssignment();
        return java.util.stream.Stream.concat(mixed.stream(), clean.stream())
            .allMatch(profile -> assignment.ownerOf(profile.chamber()) != null);
      });
      FuzzRun.Result result = new FuzzRun(cluster.client, () -> {
        try {
          return cluster.http("/metrics");
        } catch (Exception e) {
          throw new IllegalStateException("the gateway's /metrics did not answer", e);
        }
      }, mixed, clean).run(seed, "it" + seed, cases, seconds(90), seconds(5));
      System.out.println(result.table());
      assertTrue(result.passed(), "seed " + seed + ":\n" + String.join("\n", result.violations()) + "\n" + result.table());
    }
  }
}
