package io.chamberlain.assign;

/** The new assignment (epoch copied from the previous one; the leader bumps it) and its summary. */
public record AssignmentResult(Assignment assignment, AssignmentSummary summary) {
}
