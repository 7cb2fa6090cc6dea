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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the pessimistic path a transition holds its row lock across three statements (the locking
 * read, the clock with the key's entry, the write) and the commit, with an {@code Idempotency-Key} as
 * without one. EclipseLink's statements go through the counted data source too: its unit here is made
 * on it.
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
        assertThat(counter.take()).isEqualTo(3);
    }

    @Test
    void anAppliedTransitionWithoutAKeyIsThreeStatements() {
        Job pending = JobsInStatus.jobIn(store, JobStatus.PENDING);
        counter.take();

        TransitionOutcome outcome = store.transition(pending.id(), TransitionRequest.to(JobStatus.QUEUED));

        assertThat(outcome).isInstanceOf(TransitionOutcome.Applied.class);
        assertThat(counter.take()).isEqualTo(3);
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
