package io.jobstate.persistence.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.JobsInStatus;
import io.jobstate.persistence.support.StatementCounter;
import io.jobstate.persistence.support.StoreFixture;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the pessimistic path a transition is three statements and the commit, with an
 * {@code Idempotency-Key} as without one: without, the clock is read before the locking select, so
 * that the lock is held across the write and the commit only; with one, the clock comes with the
 * key's entry, which has to be read under the lock. EclipseLink's statements go through the counted
 * data source too: its unit here is made on it.
 */
class PessimisticRoundTripsIT extends DatabaseTest {

    private StatementCounter counter;
    private EntityManagerFactory factory;
    private JobStore store;

    @BeforeAll
    void countingStore() {
        counter = new StatementCounter(fixture.dataSource());
        factory = JobstatePersistence.entityManagerFactory(counter.dataSource());
        store = JobstatePersistence.jobStore(counter.dataSource(), factory, LockingPath.PESSIMISTIC, StoreFixture.BOUNDS);
    }

    @AfterAll
    void closeTheUnit() {
        factory.close();
    }

    @Test
    void anAppliedTransitionWithAKeyIsThreeStatements() {
        Job pending = JobsInStatus.jobIn(store, JobStatus.PENDING);
        counter.take();

        TransitionOutcome outcome = store.transition(pending.id(), TransitionRequest.to(JobStatus.QUEUED).withIdempotencyKey("queue-it"));

        assertThat(outcome).isInstanceOf(TransitionOutcome.Applied.class);
        List<String> statements = counter.takeSql();
        assertThat(statements).hasSize(3);
        // the key's entry is read under the lock, and the clock with it
        assertThat(statements.get(0)).contains("FOR UPDATE");
    }

    @Test
    void anAppliedTransitionWithoutAKeyIsThreeStatements() {
        Job pending = JobsInStatus.jobIn(store, JobStatus.PENDING);
        counter.take();

        TransitionOutcome outcome = store.transition(pending.id(), TransitionRequest.to(JobStatus.QUEUED));

        assertThat(outcome).isInstanceOf(TransitionOutcome.Applied.class);
        List<String> statements = counter.takeSql();
        assertThat(statements).hasSize(3);
        // the lock is taken by the second, and held across the write only
        assertThat(statements.get(0)).doesNotContain("FOR UPDATE");
        assertThat(statements.get(1)).contains("FOR UPDATE");
    }

    @Test
    void aReplayIsTwoStatements() {
        Job pending = JobsInStatus.jobIn(store, JobStatus.PENDING);
        TransitionRequest queue = TransitionRequest.to(JobStatus.QUEUED).withIdempotencyKey("queue-once");
        store.transition(pending.id(), queue);
        counter.take();

        TransitionOutcome outcome = store.transition(pending.id(), queue);

        assertThat(outcome).isInstanceOfSatisfying(TransitionOutcome.Replayed.class,
                replayed -> assertThat(replayed.job().version()).isEqualTo(pending.version() + 1));
        assertThat(counter.take()).isEqualTo(2);
    }

    @Test
    void aConflictIsTwoStatements() {
        Job cancelled = JobsInStatus.jobIn(store, JobStatus.CANCELLED);
        counter.take();

        TransitionOutcome outcome = store.transition(cancelled.id(), TransitionRequest.to(JobStatus.QUEUED).withIdempotencyKey("late"));

        assertThat(outcome).isInstanceOfSatisfying(TransitionOutcome.Conflict.class,
                conflict -> assertThat(conflict.current()).isEqualTo(cancelled));
        assertThat(counter.take()).isEqualTo(2);
    }
}
