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

    /**
     * A fresh database {@code name}, owned by a migration role of its own, with a runtime role beside
     * it that owns nothing (the migrations grant it what the service needs). Both are new roles of
     * the cluster, with random passwords.
     */
    default TestDatabase createOwnedDatabase(String name) {
        TestDatabase.Login migration = new TestDatabase.Login(name + "_owner", DatabaseNames.secret());
        TestDatabase.Login runtime = new TestDatabase.Login(name + "_app", DatabaseNames.secret());
        administer("CREATE ROLE " + migration.user() + " LOGIN PASSWORD '" + migration.password() + "'");
        administer("CREATE ROLE " + runtime.user() + " LOGIN PASSWORD '" + runtime.password() + "'");
        administer("CREATE DATABASE " + name + " OWNER " + migration.user());
        return new TestDatabase(jdbcUrl(name), user(), password(), name, migration, runtime);
    }

    /** Removes what {@link #createOwnedDatabase} made: the database (whoever is still connected) and its roles. */
    default void dropOwnedDatabase(TestDatabase database) {
        administer("DROP DATABASE IF EXISTS " + database.name() + " WITH (FORCE)");
        administer("DROP ROLE IF EXISTS " + database.migration().user());
        administer("DROP ROLE IF EXISTS " + database.runtime().user());
    }

    /** Runs one administrative statement on the admin database. */
    default void administer(String sql) {
        try (Connection admin = connect(adminDatabase()); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + jdbcUrl(adminDatabase()), e);
        }
    }

    /** Unique, valid SQL identifiers for test databases (with room for a role suffix), and passwords. */
    final class DatabaseNames {
        private static final AtomicInteger COUNTER = new AtomicInteger();

        private DatabaseNames() {
        }

        static String next(String prefix) {
            String clean = prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            String unique = Long.toString(ProcessHandle.current().pid()) + "_" + COUNTER.incrementAndGet();
            String name = "t_" + clean;
            // 63 bytes is PostgreSQL's limit; 6 of them are left for the roles' suffix (_owner)
            int room = 63 - 6 - unique.length() - 1;
            return (name.length() > room ? name.substring(0, room) : name) + "_" + unique;
        }

        static String secret() {
            return java.util.UUID.randomUUID().toString();
        }
    }
}
