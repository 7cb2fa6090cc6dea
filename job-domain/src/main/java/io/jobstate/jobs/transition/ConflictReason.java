package io.jobstate.jobs.transition;

/** Why a transition could not be applied to the job as it is now. */
public enum ConflictReason {
    /** The current status is not a legal predecessor of the requested one. */
    ILLEGAL_TRANSITION,
    /** The caller's {@code expectedStatus} is no longer the job's status. */
    STALE_STATUS,
    /** The caller's {@code expectedVersion} is no longer the job's version. */
    STALE_VERSION,
    /** The idempotency key was already used on this job for a different request. */
    IDEMPOTENCY_KEY_REUSED,
    /**
     * Completing or failing a RUNNING job needs the current run's lease token, and the request
     * carried none or another (a worker of an earlier run, or one whose lease was taken away).
     */
    LEASE_MISMATCH
}
