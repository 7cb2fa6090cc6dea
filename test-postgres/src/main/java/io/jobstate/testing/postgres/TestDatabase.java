package io.jobstate.testing.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** One database reserved for a test class: where it is and how to log in. */
public record TestDatabase(String jdbcUrl, String user, String password, String name) {

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }
}
