package io.jobstate.testing.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PostgreSQL server tests may use: its address, a superuser, and fresh databases on demand.
 * Thread-safe.
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

    /** Creates an empty database with a unique name starting with {@code prefix}. */
    default TestDatabase createDatabase(String prefix) {
        String name = DatabaseNames.next(prefix);
        try (Connection admin = connect(adminDatabase()); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + jdbcUrl(adminDatabase()), e);
        }
        return new TestDatabase(jdbcUrl(name), user(), password(), name);
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
