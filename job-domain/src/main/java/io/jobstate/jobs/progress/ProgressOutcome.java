package io.jobstate.jobs.progress;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.Violation;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Every expected result of a progress report. */
public sealed interface ProgressOutcome {

    record Updated(Job job) implements ProgressOutcome {
        public Updated {
            Objects.requireNonNull(job, "job is required");
        }
    }

    /** Not accepted for the job as it is now: NOT_RUNNING, LEASE_MISMATCH or BACKWARDS. */
    record Rejected(Job current, ConflictReason reason) implements ProgressOutcome {
        public Rejected {
            Objects.requireNonNull(current, "current is required");
            Objects.requireNonNull(reason, "reason is required");
        }
    }

    record NotFound(UUID jobId) implements ProgressOutcome {
    }

    record Invalid(List<Violation> violations) implements ProgressOutcome {
        public Invalid {
            violations = List.copyOf(violations);
        }
    }
}
