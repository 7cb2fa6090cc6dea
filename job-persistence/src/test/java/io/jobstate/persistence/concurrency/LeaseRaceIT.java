package io.jobstate.persistence.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.lease.HeartbeatOutcome;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.Histories;
import io.jobstate.persistence.support.Sql;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The reaper racing what it must never overwrite, on jobs whose lease has just expired, each race
 * released at one instant for real threads against the real database; then the history decides.
 */
class LeaseRaceIT extends DatabaseTest {

    private static final Logger LOG = Logger.getLogger(LeaseRaceIT.class.getName());
    private static final int JOBS = 100;

    @ParameterizedTest
    @EnumSource(LockingPath.class)
    void theReaperAndTheCompletionOfAnExpiredLeaseNeverBothWin(LockingPath path) throws Exception {
        JobStore store = fixture.store(path);
        List<Job> jobs = Jobs.running(store, JOBS, "reap-vs-complete-" + path);
        int completedCount = 0;
        int reapedCount = 0;
        for (Job job : jobs) {
            // one expired lease at a time: the reaper's only candidate is the job raced for
            expire("id = '" + job.id() + "'", 1);
            List<Object> outcomes = race(
                    () -> store.transition(job.id(), TransitionRequest.to(JobStatus.COMPLETED).withResult("{}")
                            .withLeaseToken(job.lease().token())),
                    () -> store.reapExpiredLeases(10));
            boolean completed = outcomes.get(0) instanceof TransitionOutcome.Applied;
            boolean reaped = ((List<?>) outcomes.get(1)).stream().anyMatch(j -> ((Job) j).id().equals(job.id()));
            assertThat(completed ^ reaped).as("exactly one of completion and reaper on %s: %s", job.id(), outcomes).isTrue();
            List<HistoryEntry> history = Histories.of(store, job.id()).orElseThrow();
            assertThat(history).hasSize(2);
            HistoryEntry last = history.getLast();
            assertThat(last.to()).isEqualTo(completed ? JobStatus.COMPLETED : JobStatus.FAILED);
            assertThat(last.actor()).isEqualTo(completed ? null : HistoryEntry.REAPER);
            completedCount += completed ? 1 : 0;
            reapedCount += reaped ? 1 : 0;
        }
        int c = completedCount;
        int r = reapedCount;
        LOG.info(() -> "reaper vs completion [" + path + "]: jobs=" + JOBS + " completed=" + c + " reaped=" + r);
        assertThat(completedCount + reapedCount).isEqualTo(JOBS);
    }

    @Test
    void aHeartbeatAndTheReaperOnAnExpiredLeaseNeverBothWin() throws Exception {
        JobStore store = fixture.store(LockingPath.CAS);
        List<Job> jobs = Jobs.running(store, JOBS, "heartbeat-vs-reaper");
        int renewedCount = 0;
        for (Job job : jobs) {
            expire("id = '" + job.id() + "'", 1);
            List<Object> outcomes = race(() -> store.heartbeat(job.id(), job.lease().token()),
                    () -> store.reapExpiredLeases(10));
            boolean renewed = outcomes.get(0) instanceof HeartbeatOutcome.Renewed;
            boolean reaped = ((List<?>) outcomes.get(1)).stream().anyMatch(j -> ((Job) j).id().equals(job.id()));
            assertThat(renewed ^ reaped).as("exactly one of heartbeat and reaper on %s: %s", job.id(), outcomes).isTrue();
            Job now = store.find(job.id()).orElseThrow();
            if (renewed) {
                assertThat(now.status()).isEqualTo(JobStatus.RUNNING);
                assertThat(now.lease().expiresAt()).isAfter(now.updatedAt().minusSeconds(1));
                assertThat(Histories.of(store, job.id()).orElseThrow()).hasSize(1);
            } else {
                assertThat(now.status()).isEqualTo(JobStatus.FAILED);
                assertThat(Histories.of(store, job.id()).orElseThrow()).hasSize(2);
            }
            renewedCount += renewed ? 1 : 0;
        }
        int renewedTotal = renewedCount;
        LOG.info(() -> "heartbeat vs reaper: jobs=" + JOBS + " renewed=" + renewedTotal + " reaped=" + (JOBS - renewedTotal));
    }

    @Test
    void twoReapersAtOnceReapEachExpiredLeaseExactlyOnce() throws Exception {
        JobStore first = fixture.store(LockingPath.CAS);
        JobStore second = fixture.store(LockingPath.PESSIMISTIC);
        List<Job> jobs = Jobs.running(first, JOBS, "two-reapers");
        expire("type = 'two-reapers'", JOBS);
        Set<UUID> expected = new HashSet<>(jobs.stream().map(Job::id).toList());

        // small batches, many rounds: the two keep meeting on the same rows
        List<Object> outcomes = race(() -> reapAll(first), () -> reapAll(second));

        List<UUID> byFirst = ids(outcomes.get(0));
        List<UUID> bySecond = ids(outcomes.get(1));
        List<UUID> all = new ArrayList<>(byFirst);
        all.addAll(bySecond);
        assertThat(all).doesNotHaveDuplicates();
        assertThat(new HashSet<>(all)).containsAll(expected);
        try (Connection connection = fixture.connect()) {
            assertThat(Sql.count(connection, "SELECT count(*) FROM job_history WHERE job_id = ANY (?) AND actor = 'reaper'",
                    (Object) expected.toArray(UUID[]::new))).isEqualTo(JOBS);
        }
        LOG.info(() -> "two reapers: jobs=" + JOBS + " first=" + byFirst.size() + " second=" + bySecond.size());
    }

    private static List<Job> reapAll(JobStore store) {
        List<Job> reaped = new ArrayList<>();
        List<Job> batch;
        do {
            batch = store.reapExpiredLeases(7);
            reaped.addAll(batch);
        } while (!batch.isEmpty());
        return reaped;
    }

    @SuppressWarnings("unchecked")
    private static List<UUID> ids(Object jobs) {
        return ((List<Job>) jobs).stream().map(Job::id).toList();
    }

    /** Lets the leases of the jobs {@code where} selects expire now, as time passing would: {@code count} of them. */
    private void expire(String where, int count) throws Exception {
        try (Connection connection = fixture.connect()) {
            assertThat(Jobs.expireLeases(connection, where)).isEqualTo(count);
        }
    }

    /** Runs both at the same instant on two threads; returns their results in order. */
    private static List<Object> race(Callable<?> one, Callable<?> other) throws Exception {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?> a = pool.submit(() -> {
                    start.await();
                    return one.call();
                });
                Future<?> b = pool.submit(() -> {
                    start.await();
                    return other.call();
                });
                List<Object> results = new ArrayList<>();
                results.add(a.get());
                results.add(b.get());
                return results;
            } finally {
                pool.shutdownNow();
            }
        });
    }
}
