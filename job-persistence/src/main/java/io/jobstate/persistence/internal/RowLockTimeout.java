package io.jobstate.persistence.internal;

import io.jobstate.jobs.store.StoreUnavailableException;

/**
 * A write waited for a row lock longer than the lock bound: PostgreSQL's {@code lock_timeout}
 * (SQLState 55P03) ran out, or the request's turn behind the other writers of its job in this
 * process did not come in time ({@link JobWriterQueue}). Nothing was written. A transition answers
 * it as the outcome {@code LockTimedOut}; anything else surfaces as it is ({@link Reason#LOCK_WAIT}).
 */
final class RowLockTimeout extends StoreUnavailableException {

    private static final long serialVersionUID = 1L;

    RowLockTimeout(String message, Throwable cause) {
        super(Reason.LOCK_WAIT, message, cause);
    }
}
