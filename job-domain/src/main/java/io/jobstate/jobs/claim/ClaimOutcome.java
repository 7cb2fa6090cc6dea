package io.jobstate.jobs.claim;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.Violation;
import java.util.List;
import java.util.Objects;

/** Every expected result of a claim; callers handle it with an exhaustive switch. */
public sealed interface ClaimOutcome {

    /** A job was claimed: {@code job} is RUNNING under its new lease. */
    record Claimed(Job job) implements ClaimOutcome {
        public Claimed {
            Objects.requireNonNull(job, "job is required");
        }
    }

    /** The same claim was made before with this key: the job as that claim left it (same lease), nothing written now. */
    record Replayed(Job job, HistoryEntry original) implements ClaimOutcome {
        public Replayed {
            Objects.requireNonNull(job, "job is required");
            Objects.requireNonNull(original, "original is required");
        }
    }

    /** The key already claimed {@code claimed} with a different request. */
    record KeyReused(Job claimed) implements ClaimOutcome {
        public KeyReused {
            Objects.requireNonNull(claimed, "claimed is required");
        }
    }

    /** No QUEUED job of the requested types was free to claim. */
    record NoneQueued() implements ClaimOutcome {
    }

    record Invalid(List<Violation> violations) implements ClaimOutcome {
        public Invalid {
            violations = List.copyOf(violations);
        }
    }
}
