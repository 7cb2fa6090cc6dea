package io.jobstate.persistence.retention;

import static io.jobstate.jobs.JobStatus.COMPLETED;
import static io.jobstate.jobs.JobStatus.FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.retention.JobPruner;
import io.jobstate.jobs.retention.RetentionPolicy;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.StoreFixture;
import io.jobstate.testing.postgres.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What every instance does in the background while nothing happens — publishing events, pruning
 * events, pruning jobs, reaping leases — writes nothing: run on connections that PostgreSQL keeps
 * read-only ({@code default_transaction_read_only}), where any write, row lock or transaction id
 * would fail, it all succeeds. With work to do, the same read-only connections refuse it, which shows
 * that they would catch a write.
 */
class IdleWritesNothingIT extends RetentionTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final RetentionPolicy POLICY = new RetentionPolicy(Map.of(COMPLETED, HOUR, FAILED, HOUR), Duration.ZERO);

    @Test
    void publishingPruningAndReapingWithNothingToDoWriteNothing() {
        // given: jobs in every status, their events published, a run with a lease that has not expired
        for (JobStatus status : JobStatus.values()) {
            jobsIn(status, 3);
        }
        JobstatePersistence.eventLog(fixture.dataSource()).publish();
        DataSource readOnly = readOnly(fixture.database());
        EventLog log = JobstatePersistence.eventLog(readOnly);
        JobPruner pruner = JobstatePersistence.jobPruner(readOnly);
        EntityManagerFactory factory = JobstatePersistence.entityManagerFactory(readOnly);
        try {
            JobStore store = JobstatePersistence.jobStore(readOnly, factory, LockingPath.CAS, StoreFixture.BOUNDS);

            // when / then: each returns having done nothing, and nothing failed
            assertThat(log.publish().count()).isZero();
            assertThat(log.prune(HOUR)).isZero();
            assertThat(pruner.prune(POLICY, 100, 10).total()).isZero();
            assertThat(pruner.oldestFinished()).containsOnlyKeys(COMPLETED, FAILED, JobStatus.CANCELLED);
            assertThat(store.reapExpiredLeases(100)).isEmpty();
        } finally {
            factory.close();
        }
    }

    @Test
    void theReadOnlyConnectionsRefuseTheSameWorkWhenThereIsSomethingToDo() throws Exception {
        UUID pending = jobsIn(JobStatus.PENDING, 1).getFirst();
        backdate(jobsIn(COMPLETED, 1), HOUR.multipliedBy(2));
        store().transition(pending, TransitionRequest.to(JobStatus.QUEUED));
        DataSource readOnly = readOnly(fixture.database());

        assertThatThrownBy(() -> JobstatePersistence.eventLog(readOnly).publish()).hasMessageContaining("read-only");
        assertThatThrownBy(() -> JobstatePersistence.jobPruner(readOnly).prune(POLICY, 100, 10)).hasMessageContaining("read-only");
    }

    /** Connections on which PostgreSQL refuses every write, in auto-commit too. */
    private static DataSource readOnly(TestDatabase database) {
        PGSimpleDataSource dataSource = StoreFixture.dataSource(database, database.runtime());
        dataSource.setReadOnly(true);
        dataSource.setReadOnlyMode("always");
        return dataSource;
    }
}
