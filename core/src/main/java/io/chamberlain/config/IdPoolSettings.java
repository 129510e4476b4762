package io.chamberlain.config;

import io.chamberlain.domain.Ids;

/**
 * Whether a worker claims its defender id from a pool ({@code prefix}1 … {@code prefix}size) instead
 * of taking {@code defender.id}: for platforms that give replicas no stable name of their own
 * ({@code docker compose --scale worker=N}). Off at size 0.
 */
public record IdPoolSettings(int size, String prefix) {

  /** Ids of at most this many digits keep every pool id within the id rules. */
  public static final int MAX_SIZE = 9_999;

  public IdPoolSettings {
    if (size < 0 || size > MAX_SIZE) {
      throw new ConfigException("defender.idPool.size must be in [0, " + MAX_SIZE + "] (0: off), was " + size);
    }
    String problem = Ids.problem(prefix + size);
    if (size > 0 && problem != null) {
      throw new ConfigException("defender.idPool.prefix '" + prefix + "' makes ids that " + problem);
    }
  }

  public boolean enabled() {
    return size > 0;
  }

  /** The id of pool slot {@code slot} (1-based). */
  public String idOf(int slot) {
    return prefix + slot;
  }

  public static IdPoolSettings from(ResolvedConfig c) {
    return new IdPoolSettings(c.integer("defender.idPool.size"), c.string("defender.idPool.prefix"));
  }
}
