package io.chamberlain.system.live.scenario;

import io.chamberlain.system.live.Profile;
import java.util.List;

/**
 * Every live scenario, in the order the table shows them: the reference topology changes, the
 * freezes, restarts and leader losses of issue 8, outages, new chambers and backlogs, and the trial.
 */
public final class LiveScenarios {

  private LiveScenarios() {
  }

  public static List<LiveScenario> all(Profile profile) {
    return List.of(ColdStartScenario.staggered(profile), ColdStartScenario.together(profile), new ScaleScenario(profile),
        new WorkerCrashScenario(profile), new LeaderCrashScenario(profile), new LeaderNodeKillScenario(profile),
        FrozenWorkerScenario.follower(profile), FrozenWorkerScenario.leader(profile),
        FreezeScenario.twelveSeconds(profile), FreezeScenario.oneAndAHalfSeconds(profile), new RollAllScenario(profile),
        GatewayFailoverScenario.crash(profile), GatewayFailoverScenario.roll(profile), new IngestLanesScenario(profile),
        new NatsRestartScenario(profile), new NatsClusterScenario(profile),
        new BacklogScenario(profile), NewChambersScenario.thousand(profile), NewChambersScenario.sixThousand(profile),
        new ColdBacklogScenario(profile), new MixedScenario(profile));
  }
}
