package io.jobstate.rest.store;

import io.jobstate.persistence.Migrations;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Brings the schema up to date when the application starts (before anything is served), and again
 * whenever asked until that succeeded: readiness and the background loops ask before they touch the
 * database, so a database that was down at start-up is migrated once it answers. The migrations run
 * as the migration role ({@code jdbc/jobstate-migration}), which then grants the runtime role
 * ({@code jdbc/jobstate}, the service's) its privileges. A caller that finds a migration under way
 * does not wait for it: the schema is not current yet. Thread-safe.
 */
@ApplicationScoped
public class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());
    /** Seconds a readiness check waits for the database's answer on a connection it got. */
    private static final int ANSWER_SECONDS = 1;

    @Resource(lookup = "jdbc/jobstate")
    private DataSource runtime;

    @Resource(lookup = "jdbc/jobstate-migration")
    private DataSource migration;

    private final ReentrantLock migrating = new ReentrantLock();
    private volatile boolean migrated;

    void migrateAtStartup(@Observes @Initialized(ApplicationScoped.class) Object started) {
        ensureMigrated();
    }

    /** Migrates unless that already succeeded or another thread is at it; returns whether the schema is current. */
    public boolean ensureMigrated() {
        if (!migrated && migrating.tryLock()) {
            try {
                migrateOnce();
            } finally {
                migrating.unlock();
            }
        }
        return migrated;
    }

    private void migrateOnce() {
        if (migrated) {
            return;
        }
        try {
            String runtimeRole = runtimeRole();
            int applied = Migrations.migrate(migration, runtimeRole);
            migrated = true;
            LOG.info(() -> "jobstate schema up to date (" + applied + " migrations applied); runtime role " + runtimeRole);
            warnUnlessLeastPrivilege();
        } catch (RuntimeException | SQLException e) {
            LOG.log(Level.SEVERE, "jobstate schema migration failed; the service is not ready", e);
        }
    }

    private String runtimeRole() throws SQLException {
        try (Connection connection = runtime.getConnection()) {
            return connection.getMetaData().getUserName();
        }
    }

    /** The service works as a superuser or as the schema's owner, but could then change its own schema: say so. */
    private void warnUnlessLeastPrivilege() throws SQLException {
        try (Connection connection = runtime.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT r.rolsuper, r.rolcreaterole, EXISTS (SELECT 1 FROM pg_tables t"
                     + " WHERE t.schemaname = current_schema() AND t.tableowner = current_user)"
                     + " FROM pg_roles r WHERE r.rolname = current_user")) {
            if (row.next() && (row.getBoolean(1) || row.getBoolean(2) || row.getBoolean(3))) {
                LOG.warning("jobstate connects as a role that can change its own schema (a superuser, a role creator or the"
                        + " tables' owner): give JOBSTATE_DB_USER a runtime role with DML only, and JOBSTATE_DB_MIGRATION_USER"
                        + " the owner (docs/operations.md, \"Database roles\")");
            }
        }
    }

    /** Whether the database answers now, on the runtime role's pool (bounded by the pool's wait and a second). */
    public boolean databaseAnswers() {
        try (Connection connection = runtime.getConnection()) {
            return connection.isValid(ANSWER_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }
}
