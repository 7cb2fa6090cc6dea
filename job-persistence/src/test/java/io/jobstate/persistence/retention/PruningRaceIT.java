package io.jobstate.persistence.retention;

import static io.jobstate.jobs.JobStatus.COMPLETED;
import static io.jobstate.jobs.JobStatus.FAILED;
import static io.jobstate.jobs.JobStatus.QUEUED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.jobs.retention.JobPruner;
import io.jobstate.jobs.retention.RetentionPolicy;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.support.Sql;
import io.jobstate.persistence.testing.HistoryInvariants;
import io.jobstate.persistence.testing.StoredJobs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The pruner racing what it must never break, with real threads against the real database and a
 * start gate: retries of the very jobs it deletes, a second pruner, a transition holding a row. Each
 * check is also run against {@link NaiveSelectThenDeletePruner} (read, then delete by id), which it
 * must catch.
 */
class PruningRaceIT extends RetentionTest {

    private static final Logger LOG = Logger.getLogger(PruningRaceIT.class.getName());
    private static final Duration HOUR = Duration.ofHours(1);
    private static final RetentionPolicy POLICY = new RetentionPolicy(Map.of(COMPLETED, HOUR, FAILED, HOUR), Duration.ZERO);
    private static final int JOBS = 400;
    private static final int RETRIERS = 2;
    /** Jobs raced for at once: one batch of the pruner. */
    private static final int ROUND = 8;
    private static final int BATCH = 8;
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @Test
    void aJobRetriedWhileThePrunerDeletesItIsNeverDeleted() throws Exception {
        Retries retries = retriesRacing(pruner());

        assertThat(retries.errors()).isEmpty();
        assertThat(retries.deletedAfterTheirRetry()).as("jobs retried, then deleted").isEmpty();
        assertThat(retries.applied()).allMatch(id -> job(id).status() == QUEUED);
        assertThat(retries.notFound()).noneMatch(this::exists);
        assertThat(retries.applied().size() + retries.notFound().size()).isEqualTo(JOBS);
        assertThat(count("SELECT count(*) FROM job_history h WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = h.job_id)"))
                .as("history rows of deleted jobs").isZero();
        try (Connection connection = fixture.connect()) {
            assertThat(HistoryInvariants.check(StoredJobs.read(connection, retries.applied()))).isEmpty();
        }
        assertThat(countDifferences()).containsOnly(0L);
        LOG.info(() -> "retries racing the pruner: " + retries.applied().size() + " retried, " + retries.notFound().size()
                + " deleted first");
    }

    /**
     * The race above leaves it to chance whether a retry lands between a naive pruner's read and its
     * delete (on a busy machine it may not, in a run): here it lands there by construction, and the
     * same check must see the retried job deleted.
     */
    @Test
    void controlAPrunerThatDeletesWhatItReadDeletesAJobRetriedInBetweenAndTheCheckSeesIt() throws Exception {
        List<UUID> failed = jobsIn(FAILED, ROUND);
        backdate(failed, HOUR.multipliedBy(2));
        Set<UUID> retried = ConcurrentHashMap.newKeySet();
        JobPruner naive = new NaiveSelectThenDeletePruner(fixture.dataSource(), read -> {
            if (store().transition(read.getFirst(), TransitionRequest.to(QUEUED)) instanceof TransitionOutcome.Applied) {
                retried.add(read.getFirst());
            }
        });

        naive.pruneBatch(POLICY, ROUND);

        List<UUID> deletedAfterTheirRetry = retried.stream().filter(id -> !exists(id)).toList();
        LOG.info(() -> "control, naive pruner: " + deletedAfterTheirRetry.size() + " job deleted after its retry");
        assertThat(retried).hasSize(1);
        assertThat(deletedAfterTheirRetry).as("jobs retried, then deleted by the naive pruner").isNotEmpty();
    }

    @Test
    void twoPrunersAtOnceDeleteEachJobOnceWithoutErrors() throws Exception {
        List<Long> reported = twoPrunersAtOnce(pruner(), pruner());

        assertThat(reported.get(0) + reported.get(1)).as("jobs reported deleted by both").isEqualTo(JOBS);
        assertThat(count("SELECT count(*) FROM jobs")).isZero();
        assertThat(count("SELECT count(*) FROM job_history")).isZero();
        assertThat(countDifferences()).containsOnly(0L);
        LOG.info(() -> "two pruners at once: " + reported);
    }

    @Test
    void controlTwoNaivePrunersReportJobsTwiceAndTheCheckSeesIt() throws Exception {
        List<Long> reported = twoPrunersAtOnce(new NaiveSelectThenDeletePruner(fixture.dataSource()),
                new NaiveSelectThenDeletePruner(fixture.dataSource()));

        LOG.info(() -> "control, two naive pruners: " + reported);
        assertThat(reported.get(0) + reported.get(1)).as("jobs reported deleted by both").isGreaterThan(JOBS);
    }

    @Test
    void thePrunerLeavesAJobAnotherWriterHoldsAndNeverWaitsForIt() throws Exception {
        List<UUID> due = jobsIn(COMPLETED, 3);
        backdate(due, HOUR.multipliedBy(2));
        UUID held = due.getFirst();
        try (Connection holder = fixture.connect()) {
            holder.setAutoCommit(false);
            lock(holder, held);

            JobPruner.Pruned pruned = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> pruner().prune(POLICY, BATCH, 10));

            assertThat(pruned.total()).isEqualTo(2);
            assertThat(exists(held)).isTrue();
            holder.commit();
        }
        assertThat(pruner().prune(POLICY, BATCH, 10).total()).isEqualTo(1);
        assertThat(exists(held)).isFalse();
    }

    @Test
    void controlTheNaivePrunerWaitsForTheHeldJobAndTheCheckSeesIt() throws Exception {
        List<UUID> due = jobsIn(COMPLETED, 3);
        backdate(due, HOUR.multipliedBy(2));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection holder = fixture.connect(); Connection observer = fixture.connect()) {
            holder.setAutoCommit(false);
            lock(holder, due.getFirst());
            Future<JobPruner.Pruned> naive = pool.submit(
                    () -> new NaiveSelectThenDeletePruner(fixture.dataSource()).prune(POLICY, BATCH, 10));

            // proven parked: a session of the pool waits for a row lock, and the naive pruner has not returned
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                while (Sql.count(observer, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND query LIKE 'DELETE FROM jobs%'") == 0) {
                    Thread.onSpinWait();
                }
            });
            assertThat(naive.isDone()).isFalse();
            holder.commit();
            assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> naive.get()).total()).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * JOBS failed jobs past their retention, raced for in rounds of ROUND: at one instant, RETRIERS
     * threads retry the round's jobs (FAILED → QUEUED) while the pruner deletes a batch, which is those
     * same jobs (the oldest still due). Then whatever is still due is pruned.
     */
    private Retries retriesRacing(JobPruner pruner) throws Exception {
        List<UUID> failed = jobsIn(FAILED, JOBS);
        backdate(failed, HOUR.multipliedBy(2));
        Set<UUID> applied = ConcurrentHashMap.newKeySet();
        Set<UUID> notFound = ConcurrentHashMap.newKeySet();
        List<Throwable> errors = new ArrayList<>();
        for (int round = 0; round < JOBS / ROUND; round++) {
            List<UUID> jobs = failed.subList(round * ROUND, (round + 1) * ROUND);
            List<Callable<Object>> work = new ArrayList<>();
            for (int r = 0; r < RETRIERS; r++) {
                int first = r;
                work.add(() -> {
                    for (int i = first; i < jobs.size(); i += RETRIERS) {
                        UUID id = jobs.get(i);
                        switch (store().transition(id, TransitionRequest.to(QUEUED))) {
                            case TransitionOutcome.Applied done -> applied.add(id);
                            case TransitionOutcome.NotFound gone -> notFound.add(id);
                            case TransitionOutcome other -> throw new AssertionError(id + ": " + other);
                        }
                    }
                    return null;
                });
            }
            work.add(() -> pruner.pruneBatch(POLICY, ROUND));
            errors.addAll(runAtOnce(work));
        }
        pruneUntilNothingIsDue(pruner);
        List<UUID> deletedAfterTheirRetry = applied.stream().filter(id -> !exists(id)).toList();
        return new Retries(Set.copyOf(applied), Set.copyOf(notFound), deletedAfterTheirRetry, errors);
    }

    private record Retries(Set<UUID> applied, Set<UUID> notFound, List<UUID> deletedAfterTheirRetry, List<Throwable> errors) {
    }

    private List<Long> twoPrunersAtOnce(JobPruner one, JobPruner other) throws Exception {
        backdate(jobsIn(COMPLETED, JOBS / 2), HOUR.multipliedBy(2));
        backdate(jobsIn(FAILED, JOBS / 2), HOUR.multipliedBy(2));
        List<Long> reported = new ArrayList<>(List.of(0L, 0L));
        List<Throwable> errors = runAtOnce(List.of(
                () -> reported.set(0, pruneUntilNothingIsDue(one)),
                () -> reported.set(1, pruneUntilNothingIsDue(other))));
        assertThat(errors).isEmpty();
        return reported;
    }

    private static long pruneUntilNothingIsDue(JobPruner pruner) {
        long deleted = 0;
        JobPruner.Batch batch;
        do {
            batch = pruner.pruneBatch(POLICY, BATCH);
            deleted += batch.total();
        } while (batch.due() > 0);
        return deleted;
    }

    /** Starts every piece of work at one instant on a thread of its own; returns what they threw. */
    private static List<Throwable> runAtOnce(List<Callable<Object>> work) throws Exception {
        return assertTimeoutPreemptively(PATIENCE, () -> {
            CountDownLatch gate = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(work.size());
            try {
                List<Future<Object>> running = new ArrayList<>();
                for (Callable<Object> piece : work) {
                    running.add(pool.submit(() -> {
                        gate.await();
                        return piece.call();
                    }));
                }
                gate.countDown();
                List<Throwable> errors = new ArrayList<>();
                for (Future<Object> future : running) {
                    try {
                        future.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        errors.add(e.getCause());
                    }
                }
                return errors;
            } finally {
                pool.shutdownNow();
            }
        });
    }

    /** Locks the job's row as a transition in progress holds it. */
    private static void lock(Connection holder, UUID id) throws Exception {
        try (PreparedStatement statement = holder.prepareStatement("SELECT id FROM jobs WHERE id = ? FOR UPDATE")) {
            statement.setObject(1, id);
            try (ResultSet row = statement.executeQuery()) {
                assertThat(row.next()).isTrue();
            }
        }
    }
}
