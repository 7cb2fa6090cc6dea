package io.jobstate.persistence.support;

import io.jobstate.testing.postgres.PostgresExtension;
import io.jobstate.testing.postgres.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Base of the tests that need the real database: a migrated database of their own and its stores. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DatabaseTest {

    protected StoreFixture fixture;

    @BeforeAll
    void startStores(TestDatabase database) {
        fixture = StoreFixture.on(database);
    }

    @AfterAll
    void stopStores() {
        fixture.close();
    }
}
