package io.jobstate.jobs.progress;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Lease;
import io.jobstate.jobs.Violation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The pure decision on a progress report. Reporting the same value again is accepted (a retried
 * report is harmless); a lower value is not. Stateless and thread-safe.
 */
public final class ProgressDecision {

    private ProgressDecision() {
    }

    /** What is wrong with a report on its own: a value outside 0..100, or no lease token. */
    public static List<Violation> violations(int progress, String leaseToken) {
        List<Violation> violations = new ArrayList<>();
        if (progress < Job.MIN_PROGRESS || progress > Job.MAX_PROGRESS) {
            violations.add(new Violation("progress",
                    "must be between " + Job.MIN_PROGRESS + " and " + Job.MAX_PROGRESS));
        }
        Lease.checkPresented(leaseToken, true, violations);
        return List.copyOf(violations);
    }

    /** {@code leaseToken} is the report's {@code Lease-Token}; an accepted report renews the lease. */
    public static ProgressOutcome decide(Job current, int progress, String leaseToken, Instant now) {
        Objects.requireNonNull(current, "current is required");
        List<Violation> violations = violations(progress, leaseToken);
        if (!violations.isEmpty()) {
            return new ProgressOutcome.Invalid(violations);
        }
        if (current.status() != JobStatus.RUNNING) {
            return new ProgressOutcome.Rejected(current, ConflictReason.NOT_RUNNING);
        }
        if (current.lease() == null || !current.lease().heldBy(leaseToken)) {
            return new ProgressOutcome.Rejected(current, ConflictReason.LEASE_MISMATCH);
        }
        if (progress < current.progress()) {
            return new ProgressOutcome.Rejected(current, ConflictReason.BACKWARDS);
        }
        return new ProgressOutcome.Updated(current.withProgress(progress, now));
    }
}
