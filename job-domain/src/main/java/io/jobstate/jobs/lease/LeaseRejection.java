package io.jobstate.jobs.lease;

/** Why a heartbeat was refused. */
public enum LeaseRejection {
    /** The job is not RUNNING: it has no lease (it finished, was cancelled, or was reaped). */
    NOT_RUNNING,
    /** The token presented is not the current run's. */
    LEASE_MISMATCH
}
