package io.jobstate.client.problem;

import io.jobstate.client.api.JobStatus;

/** 412: {@code If-Match} named another version than the job's current one. */
public final class PreconditionFailedException extends StateMismatchException {

    private static final long serialVersionUID = 1L;

    public PreconditionFailedException(String detail, String jobId, JobStatus currentStatus, long currentVersion) {
        super(412, "Precondition Failed", detail, jobId, currentStatus, currentVersion);
    }
}
