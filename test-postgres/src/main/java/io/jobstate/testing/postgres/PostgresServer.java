package io.jobstate.testing.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PostgreSQL server tests may use: its address, a user, and fresh, isolated test databases on
 * demand. Thread-safe.
 */
public interface PostgresServer {

    String host();

    int port();

    String user();

    String password();

    /** The database to connect to for administration, such as creating databases. */
    String adminDatabase();

    /** The JDBC URL of {@code database} on this server. */
    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    default Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user(), password());
    }

    /** Creates an empty, isolated test database whose name starts with {@code prefix}. */
    TestDatabase createDatabase(String prefix);

    /** Removes what {@link #createDatabase} made. */
    void drop(TestDatabase database);

    /** Runs one administrative statement on the admin database. */
    default void administer(String sql) {
        try (Connection admin = connect(adminDatabase()); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + jdbcUrl(adminDatabase()), e);
        }
    }

    /** Unique, valid SQL identifiers for test databases. */
    final class DatabaseNames {
        private static final AtomicInteger COUNTER = new AtomicInteger();

        private DatabaseNames() {
        }

        static String next(String prefix) {
            String clean = prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            String unique = Long.toString(ProcessHandle.current().pid()) + "_" + COUNTER.incrementAndGet();
            String name = "t_" + clean;
            int room = 63 - unique.length() - 1;
            return (name.length() > room ? name.substring(0, room) : name) + "_" + unique;
        }
    }
}
