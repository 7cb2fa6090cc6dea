package io.jobstate.persistence.support;

import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.Migrations;
import io.jobstate.testing.postgres.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A migrated test database with an EclipseLink unit on it and stores for either locking path.
 * Close it to release the unit's connection pool.
 */
public final class StoreFixture implements AutoCloseable {

    public static final Duration LOCK_WAIT = Duration.ofSeconds(2);

    private final TestDatabase database;
    private final EntityManagerFactory factory;

    private StoreFixture(TestDatabase database, int poolSize) {
        this.database = database;
        Migrations.migrate(dataSource(database));
        this.factory = JobstatePersistence.entityManagerFactory(database.jdbcUrl(), database.user(),
                database.password(), poolSize);
    }

    public static StoreFixture on(TestDatabase database) {
        return new StoreFixture(database, 40);
    }

    public static PGSimpleDataSource dataSource(TestDatabase database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(database.jdbcUrl());
        dataSource.setUser(database.user());
        dataSource.setPassword(database.password());
        return dataSource;
    }

    public JobStore store(LockingPath path) {
        return JobstatePersistence.jobStore(factory, path, LOCK_WAIT);
    }

    public JobStore store(LockingPath path, Duration lockWait) {
        return JobstatePersistence.jobStore(factory, path, lockWait);
    }

    public Connection connect() throws SQLException {
        return database.connect();
    }

    public TestDatabase database() {
        return database;
    }

    @Override
    public void close() {
        factory.close();
    }
}
