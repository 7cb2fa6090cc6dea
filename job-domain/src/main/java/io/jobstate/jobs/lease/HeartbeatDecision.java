package io.jobstate.jobs.lease;

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
 * The pure decision on a heartbeat: accepted while the job is RUNNING and the token is its lease's,
 * also after the lease expired as long as the reaper has not taken the job (the two are one atomic
 * step apart, so exactly one of them wins). Stateless and thread-safe.
 */
public final class HeartbeatDecision {

    private HeartbeatDecision() {
    }

    /** What is wrong with a heartbeat on its own: no lease token. */
    public static List<Violation> violations(String leaseToken) {
        List<Violation> violations = new ArrayList<>();
        Lease.checkPresented(leaseToken, true, violations);
        return List.copyOf(violations);
    }

    public static HeartbeatOutcome decide(Job current, String leaseToken, Instant now) {
        Objects.requireNonNull(current, "current is required");
        List<Violation> violations = violations(leaseToken);
        if (!violations.isEmpty()) {
            return new HeartbeatOutcome.Invalid(violations);
        }
        if (current.status() != JobStatus.RUNNING || current.lease() == null) {
            return new HeartbeatOutcome.Rejected(current, ConflictReason.NOT_RUNNING);
        }
        if (!current.lease().heldBy(leaseToken)) {
            return new HeartbeatOutcome.Rejected(current, ConflictReason.LEASE_MISMATCH);
        }
        return new HeartbeatOutcome.Renewed(current.withLeaseRenewed(now));
    }
}
