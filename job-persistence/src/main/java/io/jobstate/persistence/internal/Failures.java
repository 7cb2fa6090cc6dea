package io.jobstate.persistence.internal;

import io.jobstate.jobs.store.StoreUnavailableException;
import java.sql.SQLException;
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
        if (state.isPresent() && isUnavailable(state.get())) {
            return new StoreUnavailableException("database unavailable (SQLState " + state.get() + ")", failure);
        }
        return failure;
    }

    /** Connection failures (class 08), shutdowns and restarts (57P0x), too many connections (53300). */
    private static boolean isUnavailable(String sqlState) {
        return sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.equals("53300");
    }

    static Optional<String> sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    static boolean violates(Throwable failure, String constraint) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())
                    && String.valueOf(sql.getMessage()).contains(constraint)) {
                return true;
            }
        }
        return false;
    }
}
