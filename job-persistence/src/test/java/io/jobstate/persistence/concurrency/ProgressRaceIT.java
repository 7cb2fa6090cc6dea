package io.jobstate.persistence.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.progress.ProgressOutcome;
import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Workers report progress while a coordinator completes or cancels the same job at the same
 * instant. Whatever the interleaving, the finished job stays exactly as its final transition left it.
 */
class ProgressRaceIT extends DatabaseTest {

    private static final int JOBS = 100;
    private static final int REPORTERS = 3;
    private static final int REPORTS_EACH = 10;

    @ParameterizedTest
    @EnumSource(LockingPath.class)
    void progressNeverReopensOrAltersAFinishedJob(LockingPath path) throws Exception {
        JobStore store = fixture.store(path);
        List<Job> jobs = Jobs.running(store, JOBS, "progress-" + path);

        Set<UUID> updated = ConcurrentHashMap.newKeySet();
        Set<UUID> lostToTheFinish = ConcurrentHashMap.newKeySet();
        List<Job> finals = assertTimeoutPreemptively(Duration.ofMinutes(3),
                () -> race(store, jobs, updated, lostToTheFinish));

        for (int j = 0; j < JOBS; j++) {
            Job finished = finals.get(j);
            assertThat(finished.status()).isIn(JobStatus.COMPLETED, JobStatus.CANCELLED);
            assertThat(finished.version()).isEqualTo(2);
            assertThat(store.find(finished.id())).contains(finished);
        }
        // the race really happened: on some job, reports landed both before and after the finish
        assertThat(updated).containsAnyElementsOf(lostToTheFinish);
    }

    /** Per job: reporters and one finisher pass a barrier together; returns each job's final transition. */
    private static List<Job> race(JobStore store, List<Job> jobs, Set<UUID> updated, Set<UUID> lostToTheFinish)
            throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(REPORTERS + 1);
        ExecutorService pool = Executors.newFixedThreadPool(REPORTERS + 1);
        try {
            List<Future<?>> reporters = new ArrayList<>();
            for (int r = 0; r < REPORTERS; r++) {
                int offset = r;
                reporters.add(pool.submit(() -> {
                    for (Job job : jobs) {
                        barrier.await();
                        for (int i = 1; i <= REPORTS_EACH; i++) {
                            ProgressOutcome outcome = store.reportProgress(job.id(), i * 9 + offset, job.lease().token());
                            if (outcome instanceof ProgressOutcome.Updated accepted) {
                                assertThat(accepted.job().status()).isEqualTo(JobStatus.RUNNING);
                                updated.add(job.id());
                            } else if (outcome instanceof ProgressOutcome.Rejected rejected
                                    && rejected.reason() == ConflictReason.NOT_RUNNING) {
                                lostToTheFinish.add(job.id());
                            }
                        }
                    }
                    return null;
                }));
            }
            Future<List<Job>> finisher = pool.submit(() -> {
                List<Job> finals = new ArrayList<>();
                for (int j = 0; j < jobs.size(); j++) {
                    barrier.await();
                    JobStatus to = j % 2 == 0 ? JobStatus.COMPLETED : JobStatus.CANCELLED;
                    // the run's worker completes (with its lease token); the coordinator cancels (needs none)
                    TransitionOutcome outcome = store.transition(jobs.get(j).id(),
                            TransitionRequest.to(to).withLeaseToken(jobs.get(j).lease().token()));
                    finals.add(((TransitionOutcome.Applied) outcome).job());
                }
                return finals;
            });
            for (Future<?> reporter : reporters) {
                reporter.get();
            }
            return finisher.get();
        } finally {
            pool.shutdownNow();
        }
    }
}
