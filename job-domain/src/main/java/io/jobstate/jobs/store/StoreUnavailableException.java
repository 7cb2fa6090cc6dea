package io.jobstate.jobs.store;

/** The store could not be reached or failed for reasons outside the request; nothing was written. */
public class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
