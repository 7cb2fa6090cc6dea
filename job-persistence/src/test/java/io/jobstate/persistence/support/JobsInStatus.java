package io.jobstate.persistence.support;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import java.util.List;

/** Fresh jobs brought to a given status through legal transitions. */
public final class JobsInStatus {

    private JobsInStatus() {
    }

    public static Job jobIn(JobStore store, JobStatus status) {
        Job job = ((CreateOutcome.Created) store.create(NewJob.of("in-" + status))).job();
        List<JobStatus> path = switch (status) {
            case PENDING -> List.of();
            case QUEUED -> List.of(JobStatus.QUEUED);
            case RUNNING -> List.of(JobStatus.RUNNING);
            case COMPLETED -> List.of(JobStatus.RUNNING, JobStatus.COMPLETED);
            case FAILED -> List.of(JobStatus.RUNNING, JobStatus.FAILED);
            case CANCELLED -> List.of(JobStatus.CANCELLED);
        };
        for (JobStatus next : path) {
            TransitionOutcome outcome = store.transition(job.id(), asWorker(job, requestWithDetails(next)));
            if (!(outcome instanceof TransitionOutcome.Applied applied)) {
                throw new AssertionError("could not move job to " + next + ": " + outcome);
            }
            job = applied.job();
        }
        return job;
    }

    /** {@code request} as the worker of {@code job}'s current run sends it: with its lease token, if it has a lease. */
    public static TransitionRequest asWorker(Job job, TransitionRequest request) {
        return job.lease() == null ? request : request.withLeaseToken(job.lease().token());
    }

    /** A request to {@code to} carrying the detail that status allows, so its effects are visible. */
    public static TransitionRequest requestWithDetails(JobStatus to) {
        return switch (to) {
            case COMPLETED -> TransitionRequest.to(to).withResult("{\"ok\": true}");
            case FAILED -> TransitionRequest.to(to).withError("exit code 3");
            case CANCELLED -> TransitionRequest.to(to).withReason("operator");
            default -> TransitionRequest.to(to);
        };
    }
}
