package io.jobstate.jobs.lease;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.Violation;
import java.util.List;
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

    /** Not accepted for the job as it is now: NOT_RUNNING or LEASE_MISMATCH. */
    record Rejected(Job current, ConflictReason reason) implements HeartbeatOutcome {
        public Rejected {
            Objects.requireNonNull(current, "current is required");
            Objects.requireNonNull(reason, "reason is required");
        }
    }

    record NotFound(UUID jobId) implements HeartbeatOutcome {
    }

    /** The heartbeat is malformed on its own (no lease token). */
    record Invalid(List<Violation> violations) implements HeartbeatOutcome {
        public Invalid {
            violations = List.copyOf(violations);
        }
    }
}
