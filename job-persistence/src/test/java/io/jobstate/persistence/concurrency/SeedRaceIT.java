package io.jobstate.persistence.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.Sql;
import io.jobstate.persistence.testing.WrittenEvents;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The race of the seed report, 200 times per path: on a PENDING job, N callers ask RUNNING and N ask
 * CANCELLED at the same instant, each having validated against PENDING. Exactly one may win.
 */
class SeedRaceIT extends DatabaseTest {

    private static final Logger LOG = Logger.getLogger(SeedRaceIT.class.getName());
    private static final int JOBS = 200;
    private static final int CALLERS_PER_TARGET = 4;

    @ParameterizedTest
    @EnumSource(LockingPath.class)
    void exactlyOneOfRunningAndCancelledWinsAndEveryLoserSeesTheWinner(LockingPath path) throws Exception {
        JobStore store = fixture.store(path);
        List<UUID> jobs = Jobs.pending(store, JOBS, "seed-" + path);

        List<List<TransitionOutcome>> outcomes = assertTimeoutPreemptively(Duration.ofMinutes(3),
                () -> race(store::transition, jobs));

        try (Connection connection = fixture.connect()) {
            for (int j = 0; j < JOBS; j++) {
                List<TransitionOutcome> forJob = outcomes.get(j);
                List<Job> winners = forJob.stream().filter(TransitionOutcome.Applied.class::isInstance)
                        .map(o -> ((TransitionOutcome.Applied) o).job()).toList();
                assertThat(winners).as("winners on job %d", j).hasSize(1);
                Job winner = winners.getFirst();
                assertThat(winner.version()).isEqualTo(1);
                assertThat(forJob).filteredOn(o -> !(o instanceof TransitionOutcome.Applied))
                        .hasSize(2 * CALLERS_PER_TARGET - 1)
                        .allSatisfy(o -> {
                            TransitionOutcome.Conflict conflict = (TransitionOutcome.Conflict) o;
                            assertThat(conflict.reason()).isEqualTo(ConflictReason.STALE_STATUS);
                            assertThat(conflict.current().status()).isEqualTo(winner.status());
                            assertThat(conflict.current().version()).isEqualTo(1);
                        });
                assertThat(Sql.count(connection, "SELECT count(*) FROM job_history WHERE job_id = ?", jobs.get(j))).isEqualTo(1);
                assertThat(Sql.count(connection, "SELECT count(*) FROM " + WrittenEvents.TABLE + " e WHERE job_id = ?", jobs.get(j))).isEqualTo(1);
            }
        }
    }

    @Test
    void theNaiveReadValidateWriteControlLetsStaleCallersOverwriteTheWinner() throws Exception {
        List<UUID> jobs = Jobs.pending(fixture.store(LockingPath.CAS), JOBS, "seed-naive");
        NaiveReadValidateWriteStore naive = new NaiveReadValidateWriteStore(fixture.dataSource());

        // a stale write the database guard rejects surfaces as an exception: recorded as no outcome
        BiFunction<UUID, TransitionRequest, TransitionOutcome> send = (id, request) -> {
            try {
                return naive.transition(id, request);
            } catch (RuntimeException rejected) {
                return null;
            }
        };
        List<List<TransitionOutcome>> outcomes = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> race(send, jobs));

        long jobsWithSeveralWinners = outcomes.stream()
                .filter(forJob -> forJob.stream().filter(TransitionOutcome.Applied.class::isInstance).count() > 1)
                .count();
        LOG.info("seed race NAIVE control: jobs=" + JOBS + ", jobs with several winners=" + jobsWithSeveralWinners);
        assertThat(jobsWithSeveralWinners).isPositive();
    }

    /** For each job in turn, all callers pass one barrier together and send at once. */
    private static List<List<TransitionOutcome>> race(BiFunction<UUID, TransitionRequest, TransitionOutcome> send,
                                                      List<UUID> jobs) throws Exception {
        int callers = 2 * CALLERS_PER_TARGET;
        CyclicBarrier barrier = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<List<TransitionOutcome>>> perCaller = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                JobStatus target = c % 2 == 0 ? JobStatus.RUNNING : JobStatus.CANCELLED;
                perCaller.add(pool.submit(() -> {
                    List<TransitionOutcome> mine = new ArrayList<>();
                    for (UUID job : jobs) {
                        barrier.await();
                        mine.add(send.apply(job, TransitionRequest.to(target).expectingStatus(JobStatus.PENDING)));
                    }
                    return mine;
                }));
            }
            List<List<TransitionOutcome>> byJob = new ArrayList<>();
            for (int j = 0; j < jobs.size(); j++) {
                byJob.add(new ArrayList<>());
            }
            for (Future<List<TransitionOutcome>> caller : perCaller) {
                List<TransitionOutcome> mine = caller.get();
                for (int j = 0; j < jobs.size(); j++) {
                    byJob.get(j).add(mine.get(j));
                }
            }
            return byJob;
        } finally {
            pool.shutdownNow();
        }
    }
}
