package io.jobstate.persistence.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.listing.JobQuery;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.store.StoreUnavailableException;
import io.jobstate.jobs.store.StoreUnavailableException.Reason;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.DatabaseBounds;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.Sql;
import io.jobstate.persistence.support.StoreFixture;
import io.jobstate.testing.postgres.FrozenProcess;
import io.jobstate.testing.postgres.PostgresExtension;
import io.jobstate.testing.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No store operation waits on the database without a bound, and a held job cannot take the pool with
 * it: a row another session holds (an operator's open {@code SELECT … FOR UPDATE}), a statement that
 * runs long, a database that hangs instead of answering. Each case on a store wired as the service
 * wires it (the runtime role's pool carrying {@link DatabaseBounds}), with bounds short enough to
 * wait for.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoundedWaitsIT {

    /** Longer than the pool's wait: were the waiters of a held job holding connections, others would find none. */
    private static final DatabaseBounds HELD = new DatabaseBounds(Duration.ofSeconds(3), Duration.ofSeconds(20),
            Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(30));
    private static final Duration HELD_POOL_WAIT = Duration.ofSeconds(1);
    private static final int HELD_POOL = 8;
    /** A statement bound below the lock wait: a held row makes the statement, not the lock wait, run out. */
    private static final DatabaseBounds SLOW = new DatabaseBounds(Duration.ofSeconds(10), Duration.ofMillis(500),
            Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(3));
    private static final DatabaseBounds HUNG = new DatabaseBounds(Duration.ofSeconds(2), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(2));
    private static final int WRITERS = 64;
    /** What a test allows beyond a bound: scheduling on a shared machine, not a second wait. */
    private static final Duration SLACK = Duration.ofSeconds(1);

    private StoreFixture held;
    private StoreFixture slow;
    private StoreFixture hung;

    @BeforeAll
    void startStores(TestDatabase database) {
        held = StoreFixture.on(database, HELD_POOL, HELD, HELD_POOL_WAIT);
        slow = StoreFixture.on(database, 4, SLOW, StoreFixture.POOL_WAIT);
        hung = StoreFixture.on(database, 1, HUNG, StoreFixture.POOL_WAIT);
    }

    @AfterAll
    void stopStores() {
        for (StoreFixture fixture : new StoreFixture[] {held, slow, hung}) {
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LockingPath.class)
    void aTransitionOfAHeldJobTimesOutAfterTheLockWaitAndWritesNothing(LockingPath path) throws Exception {
        JobStore store = held.store(path);
        Job job = store.find(Jobs.pending(store, 1, "held").getFirst()).orElseThrow();

        try (Connection holder = lockRow(held, job.id())) {
            long started = System.nanoTime();
            TransitionOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> store.transition(job.id(), TransitionRequest.to(JobStatus.RUNNING)));
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            assertThat(outcome).isEqualTo(new TransitionOutcome.LockTimedOut(job.id()));
            assertThat(waited).isBetween(HELD.lockWait(), HELD.lockWait().plus(SLACK));
            holder.rollback();
        }
        assertThat(store.find(job.id())).contains(job);
        assertThat(store.transition(job.id(), TransitionRequest.to(JobStatus.RUNNING))).isInstanceOf(TransitionOutcome.Applied.class);
    }

    @Test
    void progressAndHeartbeatsOfAHeldJobAnswerLockWait() throws Exception {
        JobStore store = held.store(LockingPath.CAS);
        Job running = Jobs.running(store, 1, "held-run").getFirst();
        String token = running.lease().token();

        try (Connection holder = lockRow(held, running.id())) {
            assertThatThrownBy(() -> store.heartbeat(running.id(), token))
                    .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LOCK_WAIT));
            assertThatThrownBy(() -> store.reportProgress(running.id(), 50, token))
                    .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LOCK_WAIT));
            holder.rollback();
        }
        assertThat(store.find(running.id())).contains(running);
    }

    /**
     * The scenario: 64 concurrent transitions of a job whose row a session holds, half of
     * them arriving at once, half half-way through the first one's wait. They queue in the process,
     * one of them waiting in the database, and every one is answered within the lock wait of its own
     * arrival — the late ones too, although their turn comes when the first one gives up: they do
     * not wait in the database again. Meanwhile the pool (8 connections, which the waiters would
     * otherwise fill for the whole lock wait, three times the pool's wait) serves other jobs and
     * reads as usual. The writers beyond what the job's queue takes are answered at once.
     */
    @ParameterizedTest
    @EnumSource(LockingPath.class)
    void manyTransitionsOfAHeldJobTakeOneConnectionAndAreAllAnsweredWithinTheLockWait(LockingPath path) throws Exception {
        JobStore store = held.store(path);
        UUID heldJob = Jobs.pending(store, 1, "held-many").getFirst();
        UUID otherJob = Jobs.pending(store, 1, "other").getFirst();
        ScheduledExecutorService writers = Executors.newScheduledThreadPool(WRITERS);
        try (Connection holder = lockRow(held, heldJob); Connection observer = held.connect()) {
            long holderPid = Sql.count(holder, "SELECT pg_backend_pid()");
            Callable<Answer> transition = () -> {
                long started = System.nanoTime();
                TransitionOutcome outcome = store.transition(heldJob, TransitionRequest.to(JobStatus.QUEUED));
                return new Answer(outcome, Duration.ofNanos(System.nanoTime() - started));
            };
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                // the arrivals: half now, half half-way through the lock wait
                answers.add(i % 2 == 0 ? writers.submit(transition)
                        : writers.schedule(transition, HELD.lockWait().toMillis() / 2, TimeUnit.MILLISECONDS));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> blockedBy(observer, holderPid) >= 1);

            // while they wait: the rest of the store at its usual pace, and one session in the lock queue
            long started = System.nanoTime();
            UUID created = Jobs.pending(store, 1, "meanwhile").getFirst();
            TransitionOutcome other = store.transition(otherJob, TransitionRequest.to(JobStatus.RUNNING));
            List<Job> listed = store.list(JobQuery.firstPage().withLimit(10)).items();
            Duration meanwhile = Duration.ofNanos(System.nanoTime() - started);
            long waitingInTheDatabase = blockedBy(observer, holderPid);

            List<Answer> all = new ArrayList<>();
            for (Future<Answer> answer : answers) {
                all.add(answer.get(30, TimeUnit.SECONDS));
            }
            holder.rollback();

            assertThat(other).isInstanceOf(TransitionOutcome.Applied.class);
            assertThat(listed).extracting(Job::id).contains(created);
            assertThat(meanwhile).as("other work while the held job's writers wait").isLessThan(HELD_POOL_WAIT);
            assertThat(waitingInTheDatabase).as("sessions waiting for the held row").isEqualTo(1);
            assertThat(all).extracting(Answer::outcome).containsOnly(new TransitionOutcome.LockTimedOut(heldJob));
            assertThat(all).extracting(Answer::took).allSatisfy(took -> assertThat(took).isLessThan(HELD.lockWait().plus(SLACK)));
            assertThat(all).as("beyond the writer in turn and %d waiting, answered at once", JobstatePersistence.MAX_WAITING_WRITERS)
                    .filteredOn(answer -> answer.took().compareTo(HELD.lockWait().dividedBy(4)) < 0)
                    .hasSizeGreaterThanOrEqualTo(WRITERS - 1 - JobstatePersistence.MAX_WAITING_WRITERS);
        } finally {
            writers.shutdownNow();
        }
        assertThat(store.find(heldJob).orElseThrow().version()).as("nothing was written").isZero();
        assertThat(store.transition(heldJob, TransitionRequest.to(JobStatus.QUEUED))).isInstanceOf(TransitionOutcome.Applied.class);
    }

    @Test
    void aStatementLongerThanTheStatementBoundIsCancelledAndSaysSo() throws Exception {
        JobStore store = slow.store(LockingPath.CAS);
        UUID id = Jobs.pending(store, 1, "slow").getFirst();

        try (Connection holder = lockRow(slow, id)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> store.transition(id, TransitionRequest.to(JobStatus.RUNNING)))
                    .isInstanceOfSatisfying(StoreUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.STATEMENT_TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(SLOW.statement().plus(SLACK));
            holder.rollback();
        }
        assertThat(store.find(id).orElseThrow().version()).isZero();
    }

    /** A backend stopped with SIGSTOP: the connection stays up and nothing answers (what a frozen primary does). */
    @Test
    void aStatementOnADatabaseThatHangsFailsWithinTheNetworkBound() throws Exception {
        JobStore store = hung.store(LockingPath.CAS);
        UUID id = Jobs.pending(store, 1, "hung").getFirst();
        long backend;
        try (Connection pooled = hung.dataSource().getConnection()) {
            backend = Sql.count(pooled, "SELECT pg_backend_pid()"); // the pool's only connection
        }

        long started;
        try (FrozenProcess frozen = FrozenProcess.freeze(backend)) {
            started = System.nanoTime();
            assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(30), () -> store.find(id)))
                    .isInstanceOfSatisfying(StoreUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.DATABASE_TIMEOUT));
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(HUNG.network().plus(SLACK));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> store.find(id).isPresent());
    }

    @Test
    void aListeningLineToADatabaseThatHangsFailsWithinItsCheckAndTheNetworkBound() throws Exception {
        EventLog log = JobstatePersistence.eventLog(hung.dataSource());
        try (EventLog.Announcements line = log.listen(); Connection observer = hung.connect()) {
            long backend = Sql.count(observer, "SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND usename = ?",
                    hung.database().runtime().user());
            Duration limit = Duration.ofSeconds(5).plus(HUNG.network()).plus(Duration.ofSeconds(1)).plus(SLACK);

            long started = System.nanoTime();
            try (FrozenProcess frozen = FrozenProcess.freeze(backend)) {
                assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    while (true) {
                        line.await(Duration.ofSeconds(1));
                    }
                })).isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.DATABASE_TIMEOUT));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("5 s of silence, then the network bound")
                    .isLessThan(limit);
        }
    }

    private record Answer(TransitionOutcome outcome, Duration took) {
    }

    /** A session as an operator's psql would hold it: the job's row locked in an open transaction. */
    private static Connection lockRow(StoreFixture fixture, UUID id) throws Exception {
        Connection holder = fixture.connect();
        holder.setAutoCommit(false);
        try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM jobs WHERE id = ? FOR UPDATE")) {
            lock.setObject(1, id);
            lock.executeQuery().close();
        }
        return holder;
    }

    private static long blockedBy(Connection observer, long holderPid) throws Exception {
        return Sql.count(observer, "SELECT count(*) FROM pg_stat_activity WHERE ?::int = ANY(pg_blocking_pids(pid))", holderPid);
    }
}
