package io.jobstate.persistence;

import io.jobstate.persistence.internal.RuntimePrivileges;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings a database to the current schema with Flyway, as the migration role, then grants the
 * runtime role what the service needs on it; safe to run from several instances at once.
 *
 * <p>Two roles: the migration role owns the schema and runs the DDL; the runtime role, which the
 * service connects as, gets DML on the schema's tables, its sequences and functions, and nothing
 * else (no DDL, no TRUNCATE, no trigger control: {@link RuntimePrivileges}). The grants are made
 * again after every migration, over every table of the schema, so that what a later migration adds
 * is covered without a list kept by hand.
 */
public final class Migrations {

    private Migrations() {
    }

    /**
     * Applies pending migrations on {@code migrationRole}'s connections, then grants
     * {@code runtimeRole} its privileges; returns how many migrations ran.
     */
    public static int migrate(DataSource migrationRole, String runtimeRole) {
        int applied = Flyway.configure()
                .dataSource(migrationRole)
                .locations("classpath:db/migration")
                // an empty location would "succeed" with no schema at all: make that loud
                .failOnMissingLocations(true)
                // no callbacks; without this Flyway looks for db/callback and, in Liberty, logs an error
                .callbackLocations(new String[0])
                .load()
                .migrate()
                .migrationsExecuted;
        try (Connection connection = migrationRole.getConnection()) {
            RuntimePrivileges.grant(connection, runtimeRole);
        } catch (SQLException e) {
            throw new IllegalStateException("granting the runtime role " + runtimeRole + " its privileges failed: "
                    + e.getMessage(), e);
        }
        return applied;
    }
}
