package io.jobstate.persistence.support;

import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.DatabaseBounds;
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
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A test database migrated as its migration role, with a connection pool of its runtime role that
 * carries the {@link DatabaseBounds}, an EclipseLink unit on it, and stores for either locking path:
 * wired as the server wires them, with the roles the server uses. Close it to release the pool.
 */
public final class StoreFixture implements AutoCloseable {

    /**
     * The tests' bounds: the service's lock wait; statements and the network bounded far above what a
     * test on a loaded machine needs, so that only a test about them meets them.
     */
    public static final DatabaseBounds BOUNDS = new DatabaseBounds(Duration.ofSeconds(2), Duration.ofSeconds(60),
            Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(90));
    /** The service's wait for a free pooled connection (server.xml: jobstate.db.pool-wait). */
    public static final Duration POOL_WAIT = Duration.ofSeconds(5);

    private final TestDatabase database;
    private final DatabaseBounds bounds;
    private final HikariDataSource pool;
    private final EntityManagerFactory factory;

    private StoreFixture(TestDatabase database, int poolSize, DatabaseBounds bounds, Duration poolWait) {
        this.database = database;
        this.bounds = bounds;
        Migrations.migrate(migrationDataSource(database), database.runtime().user());
        this.pool = pool(database, poolSize, bounds, poolWait);
        this.factory = JobstatePersistence.entityManagerFactory(pool);
    }

    public static StoreFixture on(TestDatabase database) {
        return new StoreFixture(database, 40, BOUNDS, POOL_WAIT);
    }

    public static StoreFixture on(TestDatabase database, int poolSize) {
        return new StoreFixture(database, poolSize, BOUNDS, POOL_WAIT);
    }

    /** A fixture with other bounds, and another wait for a free pooled connection. */
    public static StoreFixture on(TestDatabase database, int poolSize, DatabaseBounds bounds, Duration poolWait) {
        return new StoreFixture(database, poolSize, bounds, poolWait);
    }

    private static HikariDataSource pool(TestDatabase database, int size, DatabaseBounds bounds, Duration poolWait) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.runtime().user());
        config.setPassword(database.runtime().password());
        bounds.driverProperties().forEach(config::addDataSourceProperty);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(poolWait.toMillis());
        config.setPoolName("jobstate-test");
        return new HikariDataSource(config);
    }

    /** Connections of the migration role, which owns the schema. */
    public static PGSimpleDataSource migrationDataSource(TestDatabase database) {
        return dataSource(database, database.migration());
    }

    /** Unpooled connections of {@code login} to {@code database}. */
    public static PGSimpleDataSource dataSource(TestDatabase database, TestDatabase.Login login) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(database.jdbcUrl());
        dataSource.setUser(login.user());
        dataSource.setPassword(login.password());
        return dataSource;
    }

    public JobStore store(LockingPath path) {
        return JobstatePersistence.jobStore(pool, factory, path, bounds);
    }

    /** A store whose transitions record {@code traceIds}' answer with their events. */
    /** A store of {@code path} whose statements go through {@code dataSource} (one in front of this fixture's pool). */
    public JobStore store(LockingPath path, DataSource dataSource) {
        return JobstatePersistence.jobStore(dataSource, factory, path, bounds);
    }

    public JobStore store(LockingPath path, Supplier<String> traceIds) {
        return JobstatePersistence.jobStore(pool, factory, path, bounds, traceIds);
    }

    /** A connection as the database's administrator, for a test that looks, holds locks or writes by hand. */
    public Connection connect() throws SQLException {
        return database.connect();
    }

    public TestDatabase database() {
        return database;
    }

    /** The pool the stores use (the runtime role's). */
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        factory.close();
        pool.close();
    }
}
