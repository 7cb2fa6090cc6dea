package io.jobstate.persistence.internal;

import io.jobstate.jobs.store.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * Turns database failures into what the store promises its callers: an unreachable or restarting
 * database becomes {@link StoreUnavailableException}; anything else is a bug and propagates as is.
 */
final class Failures {

    static final String UNIQUE_VIOLATION = "23505";

    private Failures() {
    }

    static RuntimeException translate(RuntimeException failure) {
        Optional<String> state = sqlState(failure);
        if (hasConnectionFailure(failure)) {
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

    /** A pool that could not hand out a connection in time, or a connection that broke. */
    private static boolean hasConnectionFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException) {
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
