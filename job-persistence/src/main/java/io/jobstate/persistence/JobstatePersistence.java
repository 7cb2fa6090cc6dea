package io.jobstate.persistence;

import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.internal.JpaJobStore;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Entry point of the module: builds the "jobstate" persistence unit and the {@link JobStore} on it.
 *
 * <p>The unit is resource-local so that exactly the same code runs in plain Java and inside Open
 * Liberty, where it is given the server's non-JTA data source. EclipseLink's shared cache is off:
 * other processes and the compare-and-set SQL change rows behind its back.
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

    /** A unit with EclipseLink's own connection pool of {@code poolSize} connections, for plain Java. */
    public static EntityManagerFactory entityManagerFactory(String jdbcUrl, String user, String password, int poolSize) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.jdbc.driver", "org.postgresql.Driver");
        properties.put("jakarta.persistence.jdbc.url", jdbcUrl);
        properties.put("jakarta.persistence.jdbc.user", user);
        properties.put("jakarta.persistence.jdbc.password", password);
        properties.put("eclipselink.connection-pool.default.initial", "1");
        properties.put("eclipselink.connection-pool.default.min", Integer.toString(poolSize));
        properties.put("eclipselink.connection-pool.default.max", Integer.toString(poolSize));
        return Persistence.createEntityManagerFactory(UNIT, properties);
    }

    /**
     * The store on {@code factory}. {@code lockWait} bounds how long the pessimistic path waits for
     * another writer's row lock; the compare-and-set path ignores it.
     */
    public static JobStore jobStore(EntityManagerFactory factory, LockingPath path, Duration lockWait) {
        return new JpaJobStore(factory, path, lockWait);
    }
}
