package io.jobstate.persistence.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pessimistic path never hangs on another writer's lock: the wait is bounded and reported. */
class LockWaitIT extends DatabaseTest {

    private static final Duration LOCK_WAIT = Duration.ofMillis(300);

    @Test
    void aTransitionBlockedLongerThanTheLockWaitTimesOutAndWritesNothing() throws Exception {
        JobStore store = fixture.store(LockingPath.PESSIMISTIC, LOCK_WAIT);
        Job job = Jobs.pending(store, 1, "lock").stream().map(id -> store.find(id).orElseThrow()).findFirst().orElseThrow();

        try (Connection holder = lockRow(job.id())) {
            long started = System.nanoTime();
            TransitionOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> store.transition(job.id(), TransitionRequest.to(JobStatus.RUNNING)));
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            assertThat(outcome).isEqualTo(new TransitionOutcome.LockTimedOut(job.id()));
            assertThat(waited).isGreaterThanOrEqualTo(LOCK_WAIT);
            holder.rollback();
        }
        assertThat(store.find(job.id())).contains(job);
        assertThat(store.transition(job.id(), TransitionRequest.to(JobStatus.RUNNING)))
                .isInstanceOf(TransitionOutcome.Applied.class);
    }

    @Test
    void theCompareAndSetPathWaitsForTheOtherWriterAndThenDecidesOnItsCommit() throws Exception {
        JobStore store = fixture.store(LockingPath.CAS);
        UUID id = Jobs.pending(store, 1, "lock").getFirst();

        try (Connection holder = lockRow(id)) {
            CompletableFuture<TransitionOutcome> blocked = CompletableFuture.supplyAsync(
                    () -> store.transition(id, TransitionRequest.to(JobStatus.RUNNING).expectingStatus(JobStatus.PENDING)));
            awaitBlockedBy(holder);
            try (PreparedStatement cancel = holder.prepareStatement("UPDATE jobs SET previous_status = status,"
                    + " status = 'CANCELLED', version = version + 1 WHERE id = ?")) {
                cancel.setObject(1, id);
                cancel.executeUpdate();
            }
            holder.commit();

            TransitionOutcome outcome = blocked.get(30, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOfSatisfying(TransitionOutcome.Conflict.class,
                    conflict -> assertThat(conflict.current().status()).isEqualTo(JobStatus.CANCELLED));
        }
    }

    /** Until the other writer is really blocked: otherwise the test could pass without any wait. */
    private void awaitBlockedBy(Connection holder) throws Exception {
        long holderPid = Sql.count(holder, "SELECT pg_backend_pid()");
        try (Connection observer = fixture.connect()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(observer,
                    "SELECT count(*) FROM pg_stat_activity WHERE ?::int = ANY(pg_blocking_pids(pid))", holderPid) > 0);
        }
    }

    /** A connection holding the job's row lock in an open transaction. */
    private Connection lockRow(UUID id) throws Exception {
        Connection holder = fixture.connect();
        holder.setAutoCommit(false);
        try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM jobs WHERE id = ? FOR UPDATE")) {
            lock.setObject(1, id);
            lock.executeQuery().close();
        }
        return holder;
    }
}
