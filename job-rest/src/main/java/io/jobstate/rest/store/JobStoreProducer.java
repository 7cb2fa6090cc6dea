package io.jobstate.rest.store;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.retention.JobPruner;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import io.jobstate.rest.tracing.StoreTracing;
import io.opentelemetry.api.trace.Tracer;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManagerFactory;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Offers one {@link JobStore} on the configured locking path ({@code jobstate.locking} = {@code cas} |
 * {@code pessimistic}), bounded by the {@link DatabaseSettings}, the {@link EventLog} and the
 * {@link JobPruner}, for the application's lifetime, on the runtime role's data source. The schema is
 * {@link SchemaMigration}'s. Thread-safe.
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
    DatabaseSettings settings;

    @Inject
    Tracer tracer;

    private EntityManagerFactory factory;
    private JobStore store;

    /**
     * Made at start-up, so that the log says which path and bounds this server runs with (the
     * benchmark checks it) before the first request; nothing touches the database yet.
     */
    void createAtStartup(@Observes @Initialized(ApplicationScoped.class) Object started) {
        store();
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
            store = StoreTracing.traced(JobstatePersistence.jobStore(dataSource, factory, LockingPath.fromConfig(locking),
                    settings.bounds(), StoreTracing::currentTraceId), tracer, locking);
            LOG.info(() -> "jobstate store: locking path " + locking + ", " + settings.bounds());
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
