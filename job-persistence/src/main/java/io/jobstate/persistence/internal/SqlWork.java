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
            return work.run(entityManager.unwrap(Connection.class));
        } catch (SQLException e) {
            throw new PersistenceException(e.getMessage(), e);
        }
    }
}
