package io.jobstate.rest.claims;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.claim.ClaimOutcome;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.jobs.counts.StatusCounts;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.events.JobEvent;
import io.jobstate.jobs.history.HistoryPage;
import io.jobstate.jobs.history.HistoryQuery;
import io.jobstate.jobs.lease.HeartbeatOutcome;
import io.jobstate.jobs.listing.JobPage;
import io.jobstate.jobs.listing.JobQuery;
import io.jobstate.jobs.progress.ProgressOutcome;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClaimWaitersTest {

    private final Jobs jobs = new Jobs();
    private final ClaimWaiters line = line(3);

    @Test
    void oneQueuedJobWakesOnlyTheOldestWaiterThatTakesItsType() throws Exception {
        Waiter onlyA = line.enlist(List.of("a")).orElseThrow();
        Waiter any = line.enlist(List.of()).orElseThrow();
        Waiter alsoAny = line.enlist(List.of()).orElseThrow();

        assertThat(line.wake(List.of(jobs.queued("b")))).isEqualTo(1);

        assertThat(onlyA.await(Duration.ZERO)).isFalse();
        assertThat(any.await(Duration.ZERO)).isTrue();
        assertThat(alsoAny.await(Duration.ZERO)).isFalse();
        assertThat(jobs.finds).hasValue(1);
    }

    @Test
    void aWakeTheWaiterDidNotUseGoesToTheNextWhenItLeaves() throws Exception {
        Waiter first = line.enlist(List.of("a")).orElseThrow();
        Waiter second = line.enlist(List.of("a")).orElseThrow();
        line.wake(List.of(jobs.queued("a")));

        first.close();

        assertThat(second.await(Duration.ZERO)).isTrue();
    }

    @Test
    void asManyQueuedJobsAsWaitersWakeThemAllWithoutReadingAJobAndAJobGoneFromTheQueueWakesNobody() throws Exception {
        Waiter one = line.enlist(List.of("a")).orElseThrow();
        Waiter two = line.enlist(List.of("b")).orElseThrow();

        assertThat(line.wake(List.of(jobs.gone("a")))).isZero();
        assertThat(line.wake(List.of(jobs.queued("a"), jobs.queued("c")))).isEqualTo(2);

        assertThat(one.await(Duration.ZERO)).isTrue();
        assertThat(two.await(Duration.ZERO)).isTrue();
        assertThat(jobs.finds).hasValue(1);
    }

    @Test
    void theLineHoldsItsBoundAndAPlaceLeftIsFreeAgain() {
        List<Waiter> full = List.of(line.enlist(List.of()).orElseThrow(), line.enlist(List.of()).orElseThrow(),
                line.enlist(List.of()).orElseThrow());

        assertThat(line.enlist(List.of())).isEmpty();
        full.getFirst().close();
        assertThat(line.enlist(List.of())).isPresent();
        assertThat(line.waiting()).isEqualTo(3);
    }

    private ClaimWaiters line(int max) {
        ClaimSettings settings = new ClaimSettings();
        settings.maxWaiters = max;
        ClaimWaiters waiters = new ClaimWaiters();
        waiters.settings = settings;
        waiters.store = jobs;
        return waiters;
    }

    /** The store's one read the line makes: a job by id. Everything else is not the line's business. */
    private static final class Jobs implements JobStore {
        private final Map<UUID, Job> byId = new HashMap<>();
        private final AtomicInteger finds = new AtomicInteger();

        JobEvent queued(String type) {
            return event(type, JobStatus.QUEUED);
        }

        /** An event to QUEUED of a job that has been claimed since. */
        JobEvent gone(String type) {
            return event(type, JobStatus.RUNNING);
        }

        private JobEvent event(String type, JobStatus now) {
            Job job = new Job(UUID.randomUUID(), type, now, 1, 1, 0, null, null, null, Instant.EPOCH, Instant.EPOCH, null, null,
                    null);
            byId.put(job.id(), job);
            return new JobEvent(byId.size(), job.id(), JobStatus.PENDING, JobStatus.QUEUED, 1, Instant.EPOCH);
        }

        @Override
        public Optional<Job> find(UUID id) {
            finds.incrementAndGet();
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public CreateOutcome create(NewJob request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JobPage list(JobQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StatusCounts counts() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<HistoryPage> history(UUID id, HistoryQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TransitionOutcome transition(UUID id, TransitionRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ClaimOutcome claim(ClaimRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ProgressOutcome reportProgress(UUID id, int progress, String leaseToken) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HeartbeatOutcome heartbeat(UUID id, String leaseToken) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Job> reapExpiredLeases(int limit) {
            throw new UnsupportedOperationException();
        }
    }
}
