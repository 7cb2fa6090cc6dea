package io.jobstate.jobs.creation;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.Violation;
import java.util.List;
import java.util.Objects;

/** Every expected result of a creation request. */
public sealed interface CreateOutcome {

    record Created(Job job) implements CreateOutcome {
        public Created {
            Objects.requireNonNull(job, "job is required");
        }
    }

    /** The same request was made before with this idempotency key: the job as that creation left it (PENDING, version 0). */
    record Replayed(Job job) implements CreateOutcome {
        public Replayed {
            Objects.requireNonNull(job, "job is required");
        }
    }

    /** The idempotency key already created {@code existing} from a different request. */
    record KeyReused(Job existing) implements CreateOutcome {
        public KeyReused {
            Objects.requireNonNull(existing, "existing is required");
        }
    }

    record Invalid(List<Violation> violations) implements CreateOutcome {
        public Invalid {
            violations = List.copyOf(violations);
        }
    }
}
