package io.jobstate.client.problem;

import io.jobstate.client.api.JobStatus;

/**
 * The job is not as the request assumed (409, 412). Carries the job's status and version at the
 * instant the service decided, so the caller can re-decide without reading the job again.
 */
public abstract class StateMismatchException extends JobstateException {

    private static final long serialVersionUID = 1L;

    private final String jobId;
    private final JobStatus currentStatus;
    private final long currentVersion;

    protected StateMismatchException(int status, String title, String detail, String jobId, JobStatus currentStatus,
                                     long currentVersion) {
        super(status, title, detail);
        this.jobId = jobId;
        this.currentStatus = currentStatus;
        this.currentVersion = currentVersion;
    }

    public String jobId() {
        return jobId;
    }

    public JobStatus currentStatus() {
        return currentStatus;
    }

    /** The job's version when the service decided; -1 if the answer did not say. */
    public long currentVersion() {
        return currentVersion;
    }
}
