package io.chamberlain.worker.defense;

import io.chamberlain.defense.ChamberDefenseState;
import io.chamberlain.defense.Trace;
import io.chamberlain.domain.CompletionEvent;

/**
 * One completion event to judge: the event, its decoded trace, and the chamber's state (which
 * the process reads and updates in place; the caller persists it afterwards).
 */
public record DefenseRequest(CompletionEvent event, Trace trace, ChamberDefenseState state) {

  public DefenseRequest {
    if (event == null || trace == null || state == null) {
      throw new IllegalArgumentException("defense request needs an event, a trace and a chamber state");
    }
  }
}
