package io.jobstate.persistence.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.listing.JobQuery;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.store.StoreUnavailableException;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.Histories;
import io.jobstate.persistence.support.StoreFixture;
import jakarta.persistence.EntityManagerFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** With no database to reach, every operation reports the store unavailable (the REST layer's 503), never a bug. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreUnavailableIT {

    private HikariDataSource pool;
    private EntityManagerFactory factory;

    @BeforeAll
    void pointAtAPortWhereNothingListens() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/nowhere");
        config.setUsername("nobody");
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1);
        pool = new HikariDataSource(config);
        factory = JobstatePersistence.entityManagerFactory(pool);
    }

    @AfterAll
    void close() {
        factory.close();
        pool.close();
    }

    @ParameterizedTest
    @EnumSource(LockingPath.class)
    void everyOperationReportsTheStoreUnavailable(LockingPath path) {
        JobStore store = JobstatePersistence.jobStore(pool, factory, path, StoreFixture.BOUNDS);
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> store.create(NewJob.of("x"))).isInstanceOfSatisfying(StoreUnavailableException.class, StoreUnavailableIT::anOutage);
        assertThatThrownBy(() -> store.find(id)).isInstanceOfSatisfying(StoreUnavailableException.class, StoreUnavailableIT::anOutage);
        assertThatThrownBy(() -> store.list(JobQuery.firstPage())).isInstanceOfSatisfying(StoreUnavailableException.class, StoreUnavailableIT::anOutage);
        assertThatThrownBy(() -> Histories.of(store, id)).isInstanceOfSatisfying(StoreUnavailableException.class, StoreUnavailableIT::anOutage);
        assertThatThrownBy(() -> store.transition(id, TransitionRequest.to(JobStatus.RUNNING)))
                .isInstanceOfSatisfying(StoreUnavailableException.class, StoreUnavailableIT::anOutage);
        assertThatThrownBy(() -> store.reportProgress(id, 5, "token")).isInstanceOfSatisfying(StoreUnavailableException.class, StoreUnavailableIT::anOutage);
        assertThatThrownBy(() -> store.heartbeat(id, "token")).isInstanceOfSatisfying(StoreUnavailableException.class, StoreUnavailableIT::anOutage);
        assertThatThrownBy(() -> store.reapExpiredLeases(10)).isInstanceOfSatisfying(StoreUnavailableException.class, StoreUnavailableIT::anOutage);
    }

    /** A refused connection is an outage (DATABASE), not a full pool, however the pool reports it. */
    private static void anOutage(StoreUnavailableException failure) {
        assertThat(failure.reason()).isEqualTo(StoreUnavailableException.Reason.DATABASE);
    }
}
