package io.jobstate.rest.store;

import io.jobstate.persistence.Migrations;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Brings the schema up to date when the application starts (before anything is served), and again
 * whenever asked until that succeeded: readiness and the background loops ask before they touch the
 * database, so a database that was down at start-up is migrated once it answers. Thread-safe.
 */
@ApplicationScoped
public class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = "jdbc/jobstate")
    private DataSource dataSource;

    private volatile boolean migrated;

    void migrateAtStartup(@Observes @Initialized(ApplicationScoped.class) Object started) {
        ensureMigrated();
    }

    /** Migrates unless that already succeeded; returns whether the schema is current. */
    public boolean ensureMigrated() {
        if (!migrated) {
            migrateOnce();
        }
        return migrated;
    }

    private synchronized void migrateOnce() {
        if (migrated) {
            return;
        }
        try {
            int applied = Migrations.migrate(dataSource);
            migrated = true;
            LOG.info(() -> "jobstate schema up to date (" + applied + " migrations applied)");
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "jobstate schema migration failed; the service is not ready", e);
        }
    }

    /** Whether the database answers now. */
    public boolean databaseAnswers() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
