package io.jobstate.jobs.progress;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The pure decision on a progress report. Reporting the same value again is accepted (a retried
 * report is harmless); a lower value is not. Stateless and thread-safe.
 */
public final class ProgressDecision {

    private ProgressDecision() {
    }

    public static List<Violation> violations(int progress) {
        if (progress < Job.MIN_PROGRESS || progress > Job.MAX_PROGRESS) {
            return List.of(new Violation("progress",
                    "must be between " + Job.MIN_PROGRESS + " and " + Job.MAX_PROGRESS));
        }
        return List.of();
    }

    /** {@code leaseToken} is the report's {@code Lease-Token} (may be absent); an accepted report renews the lease. */
    public static ProgressOutcome decide(Job current, int progress, String leaseToken, Instant now) {
        Objects.requireNonNull(current, "current is required");
        List<Violation> violations = violations(progress);
        if (!violations.isEmpty()) {
            return new ProgressOutcome.Invalid(violations);
        }
        if (current.status() != JobStatus.RUNNING) {
            return new ProgressOutcome.Rejected(current, ProgressRejection.NOT_RUNNING);
        }
        if (current.lease() == null || !current.lease().heldBy(leaseToken)) {
            return new ProgressOutcome.Rejected(current, ProgressRejection.LEASE_MISMATCH);
        }
        if (progress < current.progress()) {
            return new ProgressOutcome.Rejected(current, ProgressRejection.BACKWARDS);
        }
        return new ProgressOutcome.Updated(current.withProgress(progress, now));
    }
}
