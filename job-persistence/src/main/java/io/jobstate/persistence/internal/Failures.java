package io.jobstate.persistence.internal;

import io.jobstate.jobs.store.StoreUnavailableException;
import io.jobstate.jobs.store.StoreUnavailableException.Reason;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * Turns database failures into what the store promises its callers: a wait that ran out of its
 * bound, an unreachable or restarting database, become {@link StoreUnavailableException} with the
 * {@link Reason} that says which; anything else is a bug and propagates as is.
 */
final class Failures {

    static final String UNIQUE_VIOLATION = "23505";
    /** lock_timeout ran out (also NOWAIT, which the store does not use). */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** statement_timeout ran out (or an administrator's pg_cancel_backend: the store sets no other timeout). */
    private static final String QUERY_CANCELED = "57014";

    private Failures() {
    }

    static RuntimeException translate(RuntimeException failure) {
        if (failure instanceof StoreUnavailableException unavailable) {
            return unavailable;
        }
        Optional<String> state = sqlState(failure);
        if (state.filter(LOCK_NOT_AVAILABLE::equals).isPresent()) {
            return new RowLockTimeout("a row lock was not granted within lock_timeout", failure);
        }
        if (state.filter(QUERY_CANCELED::equals).isPresent()) {
            return new StoreUnavailableException(Reason.STATEMENT_TIMEOUT, "a statement ran longer than statement_timeout", failure);
        }
        if (isNetworkTimeout(failure)) {
            return new StoreUnavailableException(Reason.DATABASE_TIMEOUT, "the database did not answer in time", failure);
        }
        if (deepestSqlFailure(failure) instanceof SQLTransientConnectionException) {
            // the pool's wait for a free connection (Liberty's ConnectionWaitTimeoutException, HikariCP's
            // timeout) with no driver failure beneath it: the pool was full, the database was not down
            return new StoreUnavailableException(Reason.POOL_WAIT, "no pooled connection became free in time", failure);
        }
        if (has(failure, SQLNonTransientConnectionException.class) || has(failure, SQLTransientConnectionException.class)
                || has(failure, SQLRecoverableException.class)) {
            return new StoreUnavailableException("database unavailable: no connection", failure);
        }
        if (state.isPresent() && isUnavailable(state.get())) {
            return new StoreUnavailableException("database unavailable (SQLState " + state.get() + ")", failure);
        }
        return failure;
    }

    /** Connection failures (class 08), shutdowns and restarts (57P0x), too many connections (53300). */
    private static boolean isUnavailable(String sqlState) {
        return sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.equals("53300");
    }

    /**
     * A connect, login or read that ran out of pgjdbc's network bounds: {@code connectTimeout} and
     * {@code socketTimeout} end in a {@link SocketTimeoutException}, {@code loginTimeout} in 08001
     * "Connection attempt timed out." (pgjdbc's message, not localised in the default locale).
     */
    private static boolean isNetworkTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException
                    || cause instanceof SQLException sql && "08001".equals(sql.getSQLState())
                    && String.valueOf(sql.getMessage()).startsWith("Connection attempt timed out")) {
                return true;
            }
        }
        return false;
    }

    private static SQLException deepestSqlFailure(Throwable failure) {
        SQLException deepest = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                deepest = sql;
            }
        }
        return deepest;
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    static Optional<String> sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    /**
     * PostgreSQL refused a value the client sent: text that is not valid JSON (22P02), a
     * {@code \\u0000} escape jsonb cannot hold (22P05), a character outside the encoding (22021), a
     * number out of jsonb's range (22003), or
     * JSON nested too deeply to parse (54001). The request is invalid; nothing was written. Other
     * data exceptions come from our own SQL and stay bugs.
     */
    static boolean isDataRejected(Throwable failure) {
        return sqlState(failure).filter(CLIENT_DATA_STATES::contains).isPresent();
    }

    private static final java.util.Set<String> CLIENT_DATA_STATES = java.util.Set.of("22P02", "22P05", "22021", "22003", "54001");

    /** The only way to name the violated constraint that needs no driver class (Liberty hides them from applications). */
    static boolean isUniqueViolation(SQLException failure, String constraint) {
        return UNIQUE_VIOLATION.equals(failure.getSQLState()) && String.valueOf(failure.getMessage()).contains(constraint);
    }
}
