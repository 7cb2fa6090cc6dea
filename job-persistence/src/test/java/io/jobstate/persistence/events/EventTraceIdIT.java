package io.jobstate.persistence.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.events.EventRead;
import io.jobstate.jobs.events.JobEvent;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.JobsInStatus;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An event records the trace id of the request whose transition caused it, on both locking paths,
 * and none when that request came in no trace or the transition was refused.
 */
class EventTraceIdIT extends DatabaseTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";

    /** Stands in for the service's current span. */
    private final AtomicReference<String> currentTrace = new AtomicReference<>();

    @ParameterizedTest
    @EnumSource(LockingPath.class)
    void eachEventCarriesTheTraceOfTheTransitionThatCausedItOrNone(LockingPath path) {
        JobStore store = fixture.store(path, currentTrace::get);
        EventLog log = JobstatePersistence.eventLog(fixture.dataSource());
        long head = log.publish().lastSeq();
        UUID job = ((CreateOutcome.Created) store.create(NewJob.of("traced"))).job().id();

        currentTrace.set(TRACE);
        applied(store, job, JobStatus.QUEUED);
        currentTrace.set(OTHER_TRACE);
        assertThat(store.transition(job, TransitionRequest.to(JobStatus.COMPLETED)))
                .isInstanceOf(TransitionOutcome.Conflict.class);
        currentTrace.set(null);
        applied(store, job, JobStatus.RUNNING);
        log.publish();

        EventRead.Page page = (EventRead.Page) log.read(EventQuery.after(head).ofJob(job));
        assertThat(page.items()).extracting(JobEvent::to).containsExactly(JobStatus.QUEUED, JobStatus.RUNNING);
        assertThat(page.items()).extracting(JobEvent::traceId).containsExactly(TRACE, null);
    }

    private static void applied(JobStore store, UUID id, JobStatus to) {
        TransitionRequest request = JobsInStatus.asWorker(store.find(id).orElseThrow(), TransitionRequest.to(to));
        assertThat(store.transition(id, request)).isInstanceOf(TransitionOutcome.Applied.class);
    }
}
