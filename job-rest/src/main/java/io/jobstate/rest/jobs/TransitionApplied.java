package io.jobstate.rest.jobs;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import java.util.Objects;

/**
 * A CDI event: a transition was applied on this instance — by a request or by the lease reaper.
 * Whatever must follow every applied transition (counting it, publishing its event at once)
 * observes this instead of being called by each writer. {@code job} is the job as it left it.
 */
public record TransitionApplied(Job job, JobStatus from) {

    public TransitionApplied {
        Objects.requireNonNull(job, "job is required");
        Objects.requireNonNull(from, "from is required");
    }
}
