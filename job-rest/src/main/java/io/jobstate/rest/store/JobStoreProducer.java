package io.jobstate.rest.store;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.Migrations;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Owns the store for the application's lifetime: migrates the schema when the application starts
 * (before anything is served), then offers one {@link JobStore} on the configured locking path
 * ({@code jobstate.locking} = {@code cas} | {@code pessimistic}; {@code jobstate.lock-wait}, an
 * ISO-8601 duration). Thread-safe.
 */
@ApplicationScoped
public class JobStoreProducer {

    private static final Logger LOG = Logger.getLogger(JobStoreProducer.class.getName());

    @Resource(lookup = "jdbc/jobstate")
    private DataSource dataSource;

    @Inject
    @ConfigProperty(name = "jobstate.locking", defaultValue = "cas")
    private String locking;

    @Inject
    @ConfigProperty(name = "jobstate.lock-wait", defaultValue = "PT2S")
    private Duration lockWait;

    private EntityManagerFactory factory;
    private JobStore store;
    private volatile boolean migrated;

    void migrateAtStartup(@Observes @Initialized(ApplicationScoped.class) Object started) {
        ensureMigrated();
    }

    /**
     * Brings the schema up to date unless that already succeeded; safe to call again (readiness
     * does, so a database that was down at start-up is migrated once it answers). Returns whether
     * the schema is current.
     */
    public synchronized boolean ensureMigrated() {
        if (!migrated) {
            try {
                int applied = Migrations.migrate(dataSource);
                migrated = true;
                LOG.info(() -> "jobstate schema up to date (" + applied + " migrations applied); locking path " + locking);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "jobstate schema migration failed; the service is not ready", e);
            }
        }
        return migrated;
    }

    /** Whether the database answers now. */
    public boolean databaseAnswers() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Singleton, not application-scoped: the store is thread-safe and lives as long as this bean, so no client proxy needs to stand before every call. */
    @Produces
    @Singleton
    JobStore jobStore() {
        return store();
    }

    @Produces
    @Singleton
    EventLog eventLog() {
        return JobstatePersistence.eventLog(dataSource);
    }

    private synchronized JobStore store() {
        if (store == null) {
            factory = JobstatePersistence.entityManagerFactory(dataSource);
            store = JobstatePersistence.jobStore(dataSource, factory, LockingPath.fromConfig(locking),
                    lockWait);
        }
        return store;
    }

    @PreDestroy
    synchronized void close() {
        if (factory != null) {
            factory.close();
        }
    }
}
