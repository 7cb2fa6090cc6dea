package io.jobstate.jobs.store;

import java.util.Objects;

/**
 * The store could not do its work now, for reasons outside the request: the database is
 * unreachable or restarting, a wait on it ran out of its bound, or (the subclass
 * {@link JobContendedException}) the job kept changing under extreme contention. {@link #reason()}
 * says which. Retrying is right.
 * Nothing was written, except when the connection broke while a write was in flight: then its
 * outcome is unknown, and a retry with the same idempotency key tells which.
 */
public class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the store is unavailable: an outage, or which bound on a wait for the database ran out. */
    public enum Reason {
        /** The database cannot be reached, refused the connection, or is restarting. */
        DATABASE,
        /** The database, or the network to it, did not answer within the network bound (connect, login or read). */
        DATABASE_TIMEOUT,
        /** No pooled connection became free within the pool's wait. */
        POOL_WAIT,
        /** A statement ran longer than the statement bound. */
        STATEMENT_TIMEOUT,
        /** Another writer held the job (or another row the write needs) longer than the lock bound, or the job kept changing. */
        LOCK_WAIT
    }

    private final Reason reason;

    public StoreUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason is required");
    }

    /** The database is unavailable ({@link Reason#DATABASE}). */
    public StoreUnavailableException(String message, Throwable cause) {
        this(Reason.DATABASE, message, cause);
    }

    public Reason reason() {
        return reason;
    }
}
