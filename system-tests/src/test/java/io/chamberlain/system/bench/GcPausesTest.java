package io.chamberlain.system.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GcPausesTest {

  @Test
  void readsThePausesOfSerialAndG1AndZgcAlikeAndSkipsTheirStartLines() {
    GcPauses.Summary serial = GcPauses.summarize("serial", List.of(
        "[0.013s][info][gc     ] Using Serial",
        "[1.261s][info][gc,start    ] GC(4) Pause Full (Metadata GC Threshold)",
        "[1.277s][info][gc             ] GC(4) Pause Full (Metadata GC Threshold) 14M->8M(62M) 16.048ms",
        "[98.201s][info][gc             ] GC(98) Pause Full (Allocation Failure) 186M->40M(242M) 1072.829ms",
        "[14.243s][info][gc             ] GC(13) Pause Young (Allocation Failure) 35M->20M(62M) 145.849ms",
        "[14.300s][info][gc,heap        ] GC(13) DefNew: 10M->1M(12M)"));
    assertEquals(3, serial.pauses());
    assertEquals(2, serial.fullCollections());
    assertEquals(1072.8, serial.maxMillis(), 1.5, "3 significant digits");
    assertEquals(16.048 + 1072.829 + 145.849, serial.totalMillis(), 1e-6);

    GcPauses.Summary g1 = GcPauses.summarize("g1", List.of(
        "[0.734s][info][gc          ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 18M->5M(66M) 13.700ms"));
    assertEquals(1, g1.pauses());
    assertEquals(13.7, g1.maxMillis(), 0.1);

    GcPauses.Summary z = GcPauses.summarize("z", List.of(
        "[1.513s][info][gc,phases   ] GC(0) Y: Pause Mark Start (Major) 0.033ms",
        "[1.528s][info][gc,phases   ] GC(0) Y: Pause Mark End 0.016ms",
        "[1.530s][info][gc,phases   ] GC(0) Y: Concurrent Mark 12.000ms"));
    assertEquals(2, z.pauses(), "a concurrent phase is no pause");
    assertEquals(0, z.fullCollections());
  }

  @Test
  void aLogWithoutPausesSummarizesToZeros() {
    assertEquals(new GcPauses.Summary("empty", 0, 0, 0, 0, 0), GcPauses.summarize("empty", List.of("[0.013s][info][gc] Using G1")));
  }
}
