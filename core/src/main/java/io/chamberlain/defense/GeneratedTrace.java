package io.chamberlain.defense;

/** A simulated trace together with what was injected into it. */
public record GeneratedTrace(Trace trace, GroundTruth truth) {
}
