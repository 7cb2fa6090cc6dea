package io.jobstate.persistence.support;

import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.Migrations;
import io.jobstate.testing.postgres.TestDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A migrated test database with a connection pool, an EclipseLink unit on it, and stores for either
 * locking path, wired as the server wires them. Close it to release the pool.
 */
public final class StoreFixture implements AutoCloseable {

    public static final Duration LOCK_WAIT = Duration.ofSeconds(2);

    private final TestDatabase database;
    private final HikariDataSource pool;
    private final EntityManagerFactory factory;

    private StoreFixture(TestDatabase database, int poolSize) {
        this.database = database;
        Migrations.migrate(dataSource(database));
        this.pool = pool(database, poolSize);
        this.factory = JobstatePersistence.entityManagerFactory(pool);
    }

    public static StoreFixture on(TestDatabase database) {
        return new StoreFixture(database, 40);
    }

    public static StoreFixture on(TestDatabase database, int poolSize) {
        return new StoreFixture(database, poolSize);
    }

    private static HikariDataSource pool(TestDatabase database, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setPoolName("jobstate-test");
        return new HikariDataSource(config);
    }

    public static PGSimpleDataSource dataSource(TestDatabase database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(database.jdbcUrl());
        dataSource.setUser(database.user());
        dataSource.setPassword(database.password());
        return dataSource;
    }

    public JobStore store(LockingPath path) {
        return store(path, LOCK_WAIT);
    }

    public JobStore store(LockingPath path, Duration lockWait) {
        return JobstatePersistence.jobStore(pool, factory, path, lockWait);
    }

    public Connection connect() throws SQLException {
        return database.connect();
    }

    public TestDatabase database() {
        return database;
    }

    /** The pool the stores use. */
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        factory.close();
        pool.close();
    }
}
