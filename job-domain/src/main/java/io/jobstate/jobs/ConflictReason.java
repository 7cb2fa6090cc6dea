package io.jobstate.jobs;

/**
 * Why a well-formed request could not be applied to the job as it is now: the one list of reasons
 * every 409 names (transitions, progress reports and heartbeats alike).
 */
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
     * The job is RUNNING, but the request carried another run's lease token: a worker of an earlier
     * run, or one whose lease was taken away. Completing, failing, reporting progress and
     * heartbeating all need the current run's token.
     */
    LEASE_MISMATCH,
    /** A progress report or heartbeat for a job that is not RUNNING (it has no lease). */
    NOT_RUNNING,
    /** A progress report lower than the progress already recorded. */
    BACKWARDS
}
