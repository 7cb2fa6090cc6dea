package io.jobstate.persistence;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.retention.JobPruner;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.internal.PostgresEventLog;
import io.jobstate.persistence.internal.PostgresJobPruner;
import io.jobstate.persistence.internal.PostgresJobStore;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Entry point of the module: builds the "jobstate" persistence unit and the {@link JobStore}, both
 * on one pooled {@link DataSource} (Open Liberty's in the server, any pool in plain Java).
 *
 * <p>The unit is resource-local so that exactly the same code runs in plain Java and inside Open
 * Liberty. EclipseLink's shared cache is off: other processes and the compare-and-set SQL change
 * rows behind its back. Every connection of the data source carries the {@link DatabaseBounds}.
 */
public final class JobstatePersistence {

    public static final String UNIT = "jobstate";
    /**
     * How many requests of one process may wait for their turn behind the writer of one job (which
     * waits for the job's row in the database); more are answered at once as a lock wait. It bounds the
     * request threads one busy job can hold, and is the service's default pool size: as many as could
     * ever write concurrently.
     */
    public static final int MAX_WAITING_WRITERS = 32;

    private JobstatePersistence() {
    }

    /** A unit over a container-managed (pooled) data source. */
    public static EntityManagerFactory entityManagerFactory(DataSource dataSource) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.nonJtaDataSource", Objects.requireNonNull(dataSource, "dataSource is required"));
        return Persistence.createEntityManagerFactory(UNIT, properties);
    }

    /**
     * The store. {@code factory} must be a unit on {@code dataSource}, and every connection of
     * {@code dataSource} must carry {@code bounds}' {@link DatabaseBounds#driverProperties() driver
     * properties}: the store relies on them to bound its waits, and bounds a write's turn behind the
     * other writers of its job by {@link DatabaseBounds#lockWait()}.
     */
    public static JobStore jobStore(DataSource dataSource, EntityManagerFactory factory, LockingPath path,
                                    DatabaseBounds bounds) {
        return new PostgresJobStore(dataSource, factory, path, bounds.lockWait());
    }

    /**
     * The same store, whose transitions record {@code traceIds}' answer with their event: the trace
     * id of the calling thread's request (32 lower-case hex digits), or {@code null} outside a trace.
     */
    public static JobStore jobStore(DataSource dataSource, EntityManagerFactory factory, LockingPath path,
                                    DatabaseBounds bounds, Supplier<String> traceIds) {
        return new PostgresJobStore(dataSource, factory, path, bounds.lockWait(), traceIds);
    }

    /** Deletes finished jobs past their retention, from the store's tables; needs no entity manager. */
    public static JobPruner jobPruner(DataSource dataSource) {
        return new PostgresJobPruner(dataSource);
    }

    /** The published event feed over the outbox the store writes; needs no entity manager. */
    public static EventLog eventLog(DataSource dataSource) {
        return new PostgresEventLog(dataSource);
    }
}
