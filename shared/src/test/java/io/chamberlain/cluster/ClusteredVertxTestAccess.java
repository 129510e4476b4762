package io.chamberlain.cluster;

import com.hazelcast.config.Config;
import io.chamberlain.config.ClusterSettings;

/** Opens the package-private Hazelcast config builder to tests in other packages. */
public final class ClusteredVertxTestAccess {
  private ClusteredVertxTestAccess() {
  }

  public static Config hazelcastConfig(ClusterSettings settings) {
    return ClusteredVertx.hazelcastConfig(settings);
  }
}
