package io.jobstate.client.coordinator;

import io.jobstate.client.api.Job;
import io.jobstate.client.api.JobStatus;
import io.jobstate.client.problem.ConflictReason;
import java.util.UUID;

/** How an {@link Operation} ended. Failures that are not about the job's state are exceptions. */
public sealed interface OperationResult {

    /**
     * The operation was applied exactly once (possibly by an earlier attempt whose answer was
     * lost). {@code job} is the job as the service returned it.
     */
    record Applied(Job job) implements OperationResult {
    }

    /**
     * The job moved on to a state from which the operation no longer applies (for example it was
     * cancelled, or someone else completed it); nothing was written.
     */
    record Superseded(UUID jobId, JobStatus currentStatus, long currentVersion, JobStatus requested,
                      ConflictReason reason) implements OperationResult {
    }
}
