package io.jobstate.jobs.store;

/**
 * The job kept changing under one request: every conditional write found another writer had just
 * committed on it, more often than a store tries. Contention on one job, not an outage; nothing was
 * written, and retrying is right.
 */
public class JobContendedException extends StoreUnavailableException {

    private static final long serialVersionUID = 1L;

    public JobContendedException(String message) {
        super(Reason.LOCK_WAIT, message, null);
    }
}
