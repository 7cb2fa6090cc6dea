package io.jobstate.client.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * The contract's job statuses and which status may follow which (API.md, "State machine").
 * The client keeps its own copy so it depends on no server module; a test holds it equal to
 * the server's table.
 */
public enum JobStatus {
    PENDING, QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

    /** Whether the contract lets a job in this status move to {@code target} in one transition. */
    public boolean canMoveTo(JobStatus target) {
        return successors().contains(target);
    }

    public boolean isTerminal() {
        return successors().isEmpty();
    }

    public Set<JobStatus> successors() {
        return switch (this) {
            case PENDING -> EnumSet.of(QUEUED, RUNNING, CANCELLED);
            case QUEUED -> EnumSet.of(RUNNING, CANCELLED);
            case RUNNING -> EnumSet.of(COMPLETED, FAILED, CANCELLED);
            case FAILED -> EnumSet.of(QUEUED);
            case COMPLETED, CANCELLED -> EnumSet.noneOf(JobStatus.class);
        };
    }
}
