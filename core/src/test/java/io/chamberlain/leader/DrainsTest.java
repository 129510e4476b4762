package io.chamberlain.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chamberlain.leader.Drains.Change;
import io.chamberlain.leader.Drains.Reason;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrainsTest {

  private final Drains drains = new Drains();

  @Test
  void aDefenderIsDrainedWhileAnyReasonHoldsIt() {
    assertEquals(List.of(new Change("d1", true, Reason.OPERATOR, false)), drains.operator("d1", true, true));
    assertEquals(List.of(), drains.operator("d1", true, true), "already drained");
    assertEquals(List.of(), drains.scaleIn(Set.of("d1"), List.of("d1")), "the operator holds it already");
    assertEquals(List.of(), drains.operator("d1", false, true), "the scale-in still holds it");
    assertTrue(drains.isDrained("d1"));
    assertEquals(List.of(new Change("d1", false, Reason.SCALE_IN, true)), drains.scaleIn(Set.of(), List.of("d1")));
    assertEquals(Set.of(), drains.all());
  }

  @Test
  void anUndrainedDefenderRejoinsOnlyIfItIsStillRunning() {
    drains.scaleIn(Set.of("d1", "d2"), List.of("d1", "d2"));
    assertEquals(Set.of("d1", "d2"), drains.forScaleIn());
    assertEquals(List.of(new Change("d1", false, Reason.SCALE_IN, true), new Change("d2", false, Reason.SCALE_IN, false)),
        drains.scaleIn(Set.of(), List.of("d1")), "d2's pod is gone: it must not be given chambers");
    drains.operator("d3", true, true);
    assertEquals(List.of(new Change("d3", false, Reason.OPERATOR, false)), drains.operator("d3", false, false));
  }
}
