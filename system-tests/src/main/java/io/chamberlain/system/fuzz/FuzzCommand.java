package io.chamberlain.system.fuzz;

import io.chamberlain.domain.ChamberKey;
import io.chamberlain.domain.ChamberProfile;
import io.chamberlain.system.live.ClusterOptions;
import io.chamberlain.system.live.ProcessCluster;
import io.chamberlain.system.live.Profile;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/chamberlain fuzz}: the end-to-end fuzz round of the CI ({@link FuzzRun}) on real processes
 * of this machine (nats-server, a gateway, two workers, default configuration), round after round with
 * seeds {@code seed}, {@code seed+1}, … until {@code --minutes} have passed (at least one round). Prints
 * a table per kind for each round; exits 1 on any violation, naming the round's seed to replay.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
    description = "Bad completion events of every kind among good ones through a real cluster; a table per kind, exit 1 on any violation")
public final class FuzzCommand implements Callable<Integer> {

  @Option(names = "--seed", description = "seed of the first round (default: random, printed)")
  private Long seed;

  @Option(names = "--cases", description = "bad events per round (default: ${DEFAULT-VALUE})")
  private int cases = 300;

  @Option(names = "--minutes", description = "keep running rounds this long (default: one round)")
  private double minutes;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FuzzCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (cases < 1 || minutes < 0) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--cases must be ≥ 1 and --minutes ≥ 0");
    }
    long first = seed != null ? seed : new java.util.Random().nextLong();
    List<ChamberProfile> mixed = new ArrayList<>();
    List<ChamberProfile> clean = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      (i <= 4 ? mixed : clean).add(new ChamberProfile(new ChamberKey(String.format("fuzz%03d", i), "1"), 20, 2, 10));
    }
    List<String> defenders = List.of("defender-1", "defender-2");
    try (ProcessCluster cluster = ProcessCluster.create("fuzz", ClusterOptions.of(Profile.TEST).withGatewaySlots(1)
        .withWorkerSlots(defenders.size()))) {
      cluster.startNats();
      List<ChamberProfile> all = new ArrayList<>(mixed);
      all.addAll(clean);
      cluster.writeCatalogProfiles(all);
      cluster.startAnotherGateway();
      defenders.forEach(cluster::startWorker);
      cluster.awaitSettled("every chamber owned", view -> view.stableOn(Set.copyOf(defenders)), Duration.ofSeconds(120));
      HttpClient http = HttpClient.newHttpClient();
      String metricsUrl = cluster.api().baseUrl() + "/metrics";
      long until = System.nanoTime() + (long) (minutes * 60e9);
      int failedRounds = 0;
      int round = 0;
      try (Connection nats = Nats.connect(cluster.natsUrl())) {
        do {
          long roundSeed = first + round;
          FuzzRun.Result result = new FuzzRun(nats, () -> get(http, metricsUrl), mixed, clean)
              .run(roundSeed, "r" + Long.toHexString(roundSeed) + "-" + round, cases, Duration.ofMinutes(3), Duration.ofSeconds(5));
          System.out.printf("fuzz: round %d, seed %d (replay: bin/chamberlain fuzz --seed %d --cases %d)%n%s%n",
              round + 1, roundSeed, roundSeed, cases, result.table());
          if (!result.passed()) {
            failedRounds++;
            result.violations().forEach(violation -> System.out.println("fuzz: VIOLATION " + violation));
          }
          round++;
        } while (System.nanoTime() < until);
      }
      System.out.printf("fuzz: %d round(s), %d with violations; logs in %s%n", round, failedRounds, cluster.runDir());
      return failedRounds == 0 ? 0 : 1;
    }
  }

  private static String get(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new IllegalStateException("the gateway's " + url + " did not answer: " + e.getMessage(), e);
    }
  }
}
