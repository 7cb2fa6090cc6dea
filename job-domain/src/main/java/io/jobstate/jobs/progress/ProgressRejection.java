package io.jobstate.jobs.progress;

/** Why a well-formed progress report was not accepted. */
public enum ProgressRejection {
    NOT_RUNNING,
    BACKWARDS,
    /** The job is RUNNING but the report carried another (or no) lease token. */
    LEASE_MISMATCH
}
