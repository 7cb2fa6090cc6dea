package io.jobstate.client.coordinator;

import io.jobstate.client.api.Job;
import io.jobstate.client.api.JobStatus;
import io.jobstate.client.problem.ConflictReason;

/** How a progress report ended. */
public sealed interface ProgressResult {

    record Recorded(Job job) implements ProgressResult {
    }

    /** Not RUNNING, or lower than the progress already recorded ({@code reason} says which). */
    record Rejected(ConflictReason reason, JobStatus currentStatus, long currentVersion) implements ProgressResult {
    }
}
