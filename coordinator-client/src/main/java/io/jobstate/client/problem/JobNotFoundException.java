package io.jobstate.client.problem;

/** 404: no job has this id. */
public final class JobNotFoundException extends JobstateException {

    private static final long serialVersionUID = 1L;

    private final String jobId;

    public JobNotFoundException(String jobId, String detail) {
        super(404, "Not Found", detail);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
