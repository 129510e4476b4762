package io.chamberlain.system.live.scenario;

import java.util.List;

/** Every live scenario, in the order the table shows them: the reference topology changes, then outages. */
public final class LiveScenarios {

  private LiveScenarios() {
  }

  public static List<LiveScenario> all() {
    return List.of(ColdStartScenario.staggered(), ColdStartScenario.together(), new ScaleScenario(),
        new WorkerCrashScenario(), new LeaderCrashScenario(), FrozenWorkerScenario.follower(),
        FrozenWorkerScenario.leader(), new RollingRestartScenario(),
        GatewayFailoverScenario.crash(), GatewayFailoverScenario.roll(), new NatsRestartScenario(), new BacklogScenario());
  }
}
