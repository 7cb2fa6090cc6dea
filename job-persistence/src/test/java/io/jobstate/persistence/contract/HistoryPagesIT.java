package io.jobstate.persistence.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.history.HistoryPage;
import io.jobstate.jobs.history.HistoryQuery;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.JobsInStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A job's history read in pages, as GET /api/jobs/{id}/history serves it: a job retried many times spans several. */
class HistoryPagesIT extends DatabaseTest {

    private static final int RETRIES = 40;

    @Test
    void aLongHistoryIsReadPageAfterPageEachEntryOnceInVersionOrder() {
        JobStore store = fixture.store(LockingPath.CAS);
        Job job = retriedManyTimes(store);
        HistoryQuery query = HistoryQuery.firstPage().withLimit(25);
        List<HistoryEntry> read = new ArrayList<>();
        List<Boolean> more = new ArrayList<>();

        HistoryPage page;
        do {
            page = store.history(job.id(), query).orElseThrow();
            read.addAll(page.entries());
            more.add(page.more());
            assertThat(page.entries()).hasSizeLessThanOrEqualTo(25);
            query = query.after(page.entries().isEmpty() ? query.after() : page.entries().getLast().version());
        } while (page.more());

        assertThat(job.version()).isEqualTo(2 + 3L * RETRIES);
        assertThat(read).extracting(HistoryEntry::version).containsExactlyElementsOf(
                LongStream.rangeClosed(1, job.version()).boxed().toList());
        assertThat(more).containsExactly(true, true, true, true, false);
        assertThat(read.getLast().to()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void aPageAfterTheEndIsEmptyAndAnUnknownJobHasNone() {
        JobStore store = fixture.store(LockingPath.CAS);
        Job running = JobsInStatus.jobIn(store, JobStatus.RUNNING);
        Job pending = JobsInStatus.jobIn(store, JobStatus.PENDING);

        HistoryPage last = store.history(running.id(), HistoryQuery.firstPage().withLimit(1)).orElseThrow();
        HistoryPage beyond = store.history(running.id(), HistoryQuery.firstPage().after(1)).orElseThrow();

        assertThat(last.entries()).hasSize(1);
        assertThat(last.more()).isFalse();
        assertThat(last.nextAfter()).isEmpty();
        assertThat(beyond.entries()).isEmpty();
        assertThat(beyond.more()).isFalse();
        assertThat(store.history(pending.id(), HistoryQuery.firstPage())).contains(new HistoryPage(List.of(), false));
        assertThat(store.history(UUID.randomUUID(), HistoryQuery.firstPage())).isEmpty();
        assertThatThrownBy(() -> store.history(running.id(), HistoryQuery.firstPage().withLimit(HistoryQuery.MAX_LIMIT + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Started, failed and retried RETRIES times: 2 + 3 x RETRIES entries. */
    private static Job retriedManyTimes(JobStore store) {
        Job job = JobsInStatus.jobIn(store, JobStatus.FAILED);
        for (int i = 0; i < RETRIES; i++) {
            for (JobStatus next : List.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED)) {
                job = ((TransitionOutcome.Applied) store.transition(job.id(),
                        JobsInStatus.asWorker(job, JobsInStatus.requestWithDetails(next)))).job();
            }
        }
        return job;
    }
}
