package io.chamberlain.system.live;

import io.chamberlain.domain.ChamberKey;
import java.util.UUID;

/** Context ids of harness events: {@code {run}-{tool}-{chamber}-{000042}}, unique per publisher, ordered per chamber. */
public final class RunTags {

  private RunTags() {
  }

  public static String next() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  public static String contextId(String runTag, ChamberKey chamber, int sequence) {
    return String.format("%s-%s-%s-%06d", runTag, chamber.toolId(), chamber.chamberId(), sequence);
  }
}
