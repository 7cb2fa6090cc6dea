package io.jobstate.jobs.lease;

import io.jobstate.jobs.Job;
import java.util.Objects;
import java.util.UUID;

/** Every expected result of a heartbeat. */
public sealed interface HeartbeatOutcome {

    /** The lease now runs until {@code job.lease().expiresAt()}. */
    record Renewed(Job job) implements HeartbeatOutcome {
        public Renewed {
            Objects.requireNonNull(job, "job is required");
        }
    }

    /** Not accepted for the job as it is now: not RUNNING, or another (or no) lease token. */
    record Rejected(Job current, LeaseRejection reason) implements HeartbeatOutcome {
        public Rejected {
            Objects.requireNonNull(current, "current is required");
            Objects.requireNonNull(reason, "reason is required");
        }
    }

    record NotFound(UUID jobId) implements HeartbeatOutcome {
    }
}
