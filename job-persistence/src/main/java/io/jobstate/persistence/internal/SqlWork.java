package io.jobstate.persistence.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Plain JDBC for the statements JPQL cannot express (UPDATE … RETURNING with CTEs, INSERT … ON
 * CONFLICT, row-value keyset comparisons). SQL failures surface as {@link PersistenceException}, or
 * as {@link io.jobstate.jobs.store.StoreUnavailableException} when the database cannot be reached.
 */
@FunctionalInterface
interface SqlWork<T> {

    T run(Connection connection) throws SQLException;

    /**
     * Runs on a pooled connection in auto-commit mode: for work whose every statement is atomic on
     * its own and needs no transaction around it, so a write costs one round trip.
     */
    static <T> T autoCommitted(DataSource dataSource, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            return work.run(connection);
        } catch (SQLException e) {
            throw Failures.translate(new PersistenceException(e.getMessage(), e));
        }
    }

    /** Runs in one database transaction of its own on a pooled connection: committed if the work returns, else rolled back. */
    static <T> T inOwnTransaction(DataSource dataSource, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException failure) {
                rollbackQuietly(connection, failure);
                throw failure;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw Failures.translate(new PersistenceException(e.getMessage(), e));
        }
    }

    private static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    /** Runs on the connection of {@code entityManager}'s active transaction (EclipseLink begins it early). */
    static <T> T inTransactionOf(EntityManager entityManager, SqlWork<T> work) {
        try {
            Connection connection = entityManager.unwrap(Connection.class);
            if (connection == null || connection.getAutoCommit()) {
                // row locks and SET LOCAL would end with the statement: refuse rather than race
                throw new IllegalStateException("the entity manager's connection is not in a database transaction");
            }
            return work.run(connection);
        } catch (SQLException e) {
            throw new PersistenceException(e.getMessage(), e);
        }
    }
}
