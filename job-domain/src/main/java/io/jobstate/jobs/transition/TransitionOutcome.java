package io.jobstate.jobs.transition;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Violation;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Every expected result of a transition request; callers handle it with an exhaustive switch. */
public sealed interface TransitionOutcome {

    /** The transition was applied; {@code job} is the snapshot it produced, {@code from} the status it left. */
    record Applied(Job job, JobStatus from) implements TransitionOutcome {
        public Applied {
            Objects.requireNonNull(job, "job is required");
            Objects.requireNonNull(from, "from is required");
        }
    }

    /**
     * The same request (same key, same body) was applied before; nothing was written now. {@code job}
     * is the job as that original request left it (see {@link Job#asLeftBy}), not as it is now.
     */
    record Replayed(Job job, HistoryEntry original) implements TransitionOutcome {
        public Replayed {
            Objects.requireNonNull(job, "job is required");
            Objects.requireNonNull(original, "original is required");
        }
    }

    /** Not applicable to the job as it is now; {@code current} is what the caller should re-decide on. */
    record Conflict(Job current, JobStatus requested, ConflictReason reason) implements TransitionOutcome {
        public Conflict {
            Objects.requireNonNull(current, "current is required");
            Objects.requireNonNull(reason, "reason is required");
        }
    }

    /** The If-Match version is not the job's version. */
    record PreconditionFailed(Job current) implements TransitionOutcome {
        public PreconditionFailed {
            Objects.requireNonNull(current, "current is required");
        }
    }

    record NotFound(UUID jobId) implements TransitionOutcome {
    }

    record Invalid(List<Violation> violations) implements TransitionOutcome {
        public Invalid {
            violations = List.copyOf(violations);
        }
    }

    /** Another writer held the job longer than the lock bound (either locking path); nothing was written. */
    record LockTimedOut(UUID jobId) implements TransitionOutcome {
    }
}
