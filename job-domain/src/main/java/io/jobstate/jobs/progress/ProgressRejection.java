package io.jobstate.jobs.progress;

/** Why a well-formed progress report was not accepted. */
public enum ProgressRejection {
    NOT_RUNNING,
    BACKWARDS
}
