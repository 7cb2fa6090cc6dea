package io.jobstate.client.problem;

import io.jobstate.client.api.JobStatus;

/** 409: the request does not apply to the job as it is now; {@link #reason()} says why. */
public final class ConflictException extends StateMismatchException {

    private static final long serialVersionUID = 1L;

    private final JobStatus requestedStatus;
    private final ConflictReason reason;

    public ConflictException(String detail, String jobId, JobStatus currentStatus, long currentVersion,
                             JobStatus requestedStatus, ConflictReason reason) {
        super(409, "Conflict", detail, jobId, currentStatus, currentVersion);
        this.requestedStatus = requestedStatus;
        this.reason = reason;
    }

    /** The status the request asked for; null for creations and progress reports. */
    public JobStatus requestedStatus() {
        return requestedStatus;
    }

    public ConflictReason reason() {
        return reason;
    }
}
