package io.jobstate.client.problem;

/** Why the service answered 409 (the problem's {@code conflictReason} member). */
public enum ConflictReason {
    /** The job's current status cannot move to the requested one. */
    ILLEGAL_TRANSITION,
    /** {@code expectedStatus} is no longer the job's status. */
    STALE_STATUS,
    /** {@code expectedVersion} is no longer the job's version. */
    STALE_VERSION,
    /** The Idempotency-Key was already applied to this job with a different body. */
    IDEMPOTENCY_KEY_REUSED,
    /** Progress was reported for a job that is not RUNNING. */
    NOT_RUNNING,
    /** Progress was lower than the last accepted value. */
    BACKWARDS,
    /**
     * Completing, failing, heartbeating or reporting progress on a RUNNING job without its current
     * run's lease token: this worker's lease was taken away (expired and reaped, or the job runs again).
     */
    LEASE_MISMATCH,
    /** A reason this client does not know (a newer server), or none given. */
    UNKNOWN;

    static ConflictReason named(String name) {
        for (ConflictReason reason : values()) {
            if (reason.name().equals(name)) {
                return reason;
            }
        }
        return UNKNOWN;
    }
}
