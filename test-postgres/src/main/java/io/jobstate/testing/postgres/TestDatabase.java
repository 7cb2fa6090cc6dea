package io.jobstate.testing.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One isolated database reserved for a test class: where it is and how to log in. {@code name} is
 * the database's name in a throwaway cluster, or the schema's in an external database.
 */
public record TestDatabase(String jdbcUrl, String user, String password, String name) {

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }
}
