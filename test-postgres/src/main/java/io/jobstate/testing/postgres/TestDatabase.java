package io.jobstate.testing.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One isolated database reserved for a test class: where it is, the administrator's login (for a
 * test that looks at the database, holds its locks or injects faults, as an operator would), and
 * the service's two roles: {@code migration}, which owns the schema and runs the migrations, and
 * {@code runtime}, which the service connects as (DML only, once the migrations granted it). {@code
 * name} is the database's name in a throwaway cluster, or the schema's in an external database.
 */
public record TestDatabase(String jdbcUrl, String user, String password, String name, Login migration, Login runtime) {

    /** A role's login. */
    public record Login(String user, String password) {
    }

    /** A connection as the administrator. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** A connection as {@code login} (one of this database's roles). */
    public Connection connect(Login login) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, login.user(), login.password());
    }
}
