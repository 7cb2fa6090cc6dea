package io.jobstate.jobs.store;

/**
 * The store could not do its work now, for reasons outside the request: the database is
 * unreachable or restarting, or (the subclass {@link JobContendedException}) the job kept changing under
 * extreme contention. Retrying is right.
 * Nothing was written, except when the connection broke while a write was in flight: then its
 * outcome is unknown, and a retry with the same idempotency key tells which.
 */
public class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
