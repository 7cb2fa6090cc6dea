package io.jobstate.jobs.lease;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * The pure decision on a heartbeat: accepted while the job is RUNNING and the token is its lease's,
 * also after the lease expired as long as the reaper has not taken the job (the two are one atomic
 * step apart, so exactly one of them wins). Stateless and thread-safe.
 */
public final class HeartbeatDecision {

    private HeartbeatDecision() {
    }

    public static HeartbeatOutcome decide(Job current, String leaseToken, Instant now) {
        Objects.requireNonNull(current, "current is required");
        if (current.status() != JobStatus.RUNNING || current.lease() == null) {
            return new HeartbeatOutcome.Rejected(current, LeaseRejection.NOT_RUNNING);
        }
        if (!current.lease().heldBy(leaseToken)) {
            return new HeartbeatOutcome.Rejected(current, LeaseRejection.LEASE_MISMATCH);
        }
        return new HeartbeatOutcome.Renewed(current.withLeaseRenewed(now));
    }
}
