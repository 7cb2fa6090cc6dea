package io.jobstate.rest.store;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.retention.JobPruner;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Offers one {@link JobStore} on the configured locking path ({@code jobstate.locking} = {@code cas} |
 * {@code pessimistic}; {@code jobstate.lock-wait}, an ISO-8601 duration), the {@link EventLog} and
 * the {@link JobPruner}, for the application's lifetime. The schema is {@link SchemaMigration}'s. Thread-safe.
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

    /** Says the locking path once the application starts (the benchmark checks the log for it). */
    void announce(@Observes @Initialized(ApplicationScoped.class) Object started) {
        LOG.info(() -> "jobstate store on locking path " + locking);
    }

    /** Singleton, not application-scoped: the store is thread-safe and lives as long as this bean, so no client proxy needs to stand before every call. */
    @Produces
    @Singleton
    JobStore jobStore() {
        return store();
    }

    @Produces
    @Singleton
    JobPruner jobPruner() {
        return JobstatePersistence.jobPruner(dataSource);
    }

    @Produces
    @Singleton
    EventLog eventLog() {
        return JobstatePersistence.eventLog(dataSource);
    }

    private synchronized JobStore store() {
        if (store == null) {
            factory = JobstatePersistence.entityManagerFactory(dataSource);
            store = JobstatePersistence.jobStore(dataSource, factory, LockingPath.fromConfig(locking), lockWait);
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
