package io.jobstate.persistence;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.retention.JobPruner;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.internal.PostgresEventLog;
import io.jobstate.persistence.internal.PostgresJobPruner;
import io.jobstate.persistence.internal.PostgresJobStore;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Entry point of the module: builds the "jobstate" persistence unit and the {@link JobStore}, both
 * on one pooled {@link DataSource} (Open Liberty's in the server, any pool in plain Java).
 *
 * <p>The unit is resource-local so that exactly the same code runs in plain Java and inside Open
 * Liberty. EclipseLink's shared cache is off: other processes and the compare-and-set SQL change
 * rows behind its back. The data source needs no special driver settings.
 */
public final class JobstatePersistence {

    public static final String UNIT = "jobstate";

    private JobstatePersistence() {
    }

    /** A unit over a container-managed (pooled) data source. */
    public static EntityManagerFactory entityManagerFactory(DataSource dataSource) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.nonJtaDataSource", Objects.requireNonNull(dataSource, "dataSource is required"));
        return Persistence.createEntityManagerFactory(UNIT, properties);
    }

    /**
     * The store. {@code factory} must be a unit on {@code dataSource}. {@code lockWait} bounds how long
     * the pessimistic path waits for another writer's row lock; the compare-and-set path ignores it.
     */
    public static JobStore jobStore(DataSource dataSource, EntityManagerFactory factory, LockingPath path,
                                    Duration lockWait) {
        return new PostgresJobStore(dataSource, factory, path, lockWait);
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
