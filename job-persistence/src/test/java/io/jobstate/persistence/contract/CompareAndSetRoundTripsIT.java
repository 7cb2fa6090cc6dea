package io.jobstate.persistence.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.JobsInStatus;
import io.jobstate.persistence.support.StatementCounter;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On the compare-and-set path every answer to a transition costs one statement: the applied
 * transition, and also the refusals (409 and 412 are most of a contended workload's answers) and the
 * unknown job, whose statement returns the state it decided on.
 */
class CompareAndSetRoundTripsIT extends DatabaseTest {

    private StatementCounter counter;
    private JobStore store;

    @BeforeEach
    void countingStore() {
        counter = new StatementCounter(fixture.dataSource());
        store = fixture.store(LockingPath.CAS, counter.dataSource());
    }

    @Test
    void anAppliedTransitionIsOneStatement() {
        Job pending = JobsInStatus.jobIn(store, JobStatus.PENDING);
        counter.take();

        TransitionOutcome outcome = store.transition(pending.id(), TransitionRequest.to(JobStatus.QUEUED));

        assertThat(outcome).isInstanceOf(TransitionOutcome.Applied.class);
        assertThat(counter.take()).isEqualTo(1);
    }

    @Test
    void aConflictIsAnsweredWithTheCurrentJobFromTheSameStatement() {
        Job cancelled = JobsInStatus.jobIn(store, JobStatus.CANCELLED);
        counter.take();

        TransitionOutcome outcome = store.transition(cancelled.id(), TransitionRequest.to(JobStatus.QUEUED));

        assertThat(outcome).isInstanceOfSatisfying(TransitionOutcome.Conflict.class,
                conflict -> assertThat(conflict.current()).isEqualTo(cancelled));
        assertThat(counter.take()).isEqualTo(1);
    }

    @Test
    void aFailedPreconditionIsAnsweredFromTheSameStatement() {
        Job queued = JobsInStatus.jobIn(store, JobStatus.QUEUED);
        counter.take();

        TransitionOutcome outcome = store.transition(queued.id(),
                TransitionRequest.to(JobStatus.CANCELLED).ifMatch(queued.version() - 1));

        assertThat(outcome).isInstanceOfSatisfying(TransitionOutcome.PreconditionFailed.class,
                failed -> assertThat(failed.current()).isEqualTo(queued));
        assertThat(counter.take()).isEqualTo(1);
    }

    @Test
    void aReplayIsAnsweredFromTheSameStatement() {
        Job pending = JobsInStatus.jobIn(store, JobStatus.PENDING);
        TransitionRequest queue = TransitionRequest.to(JobStatus.QUEUED).withIdempotencyKey("queue-once");
        store.transition(pending.id(), queue);
        counter.take();

        TransitionOutcome outcome = store.transition(pending.id(), queue);

        assertThat(outcome).isInstanceOfSatisfying(TransitionOutcome.Replayed.class,
                replayed -> assertThat(replayed.job().version()).isEqualTo(pending.version() + 1));
        assertThat(counter.take()).isEqualTo(1);
    }

    @Test
    void anUnknownJobIsOneStatement() {
        UUID unknown = UUID.randomUUID();

        TransitionOutcome outcome = store.transition(unknown, TransitionRequest.to(JobStatus.QUEUED));

        assertThat(outcome).isEqualTo(new TransitionOutcome.NotFound(unknown));
        assertThat(counter.take()).isEqualTo(1);
    }
}
