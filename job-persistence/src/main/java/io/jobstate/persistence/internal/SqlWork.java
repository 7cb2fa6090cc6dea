package io.jobstate.persistence.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Plain JDBC on the transaction's own connection, for the statements JPQL cannot express
 * (UPDATE … RETURNING with CTEs, INSERT … ON CONFLICT, row-value keyset comparisons).
 */
@FunctionalInterface
interface SqlWork<T> {

    T run(Connection connection) throws SQLException;

    /** Runs on the connection of {@code entityManager}'s active transaction (EclipseLink begins it early). */
    static <T> T on(EntityManager entityManager, SqlWork<T> work) {
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
