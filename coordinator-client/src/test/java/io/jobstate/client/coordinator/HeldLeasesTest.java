package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.client.api.Job;
import io.jobstate.client.api.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HeldLeasesTest {

    private final UUID id = UUID.randomUUID();

    @Test
    void aStartedRunIsHeldUntilAnAnswerShowsTheJobPastIt() {
        HeldLeases leases = new HeldLeases(10);
        leases.applied(running(id, 3, "run-a"));

        leases.seen(running(id, 3, "run-a"));   // a progress report or heartbeat of the run itself
        leases.seen(id, 2);                     // an answer from before the run started, arriving late
        leases.seen(id, -1);                    // a conflict that did not say the version
        String whileRunning = leases.token(id);
        leases.seen(id, 4);                     // completed, failed or cancelled, by whoever

        assertThat(whileRunning).isEqualTo("run-a");
        assertThat(leases.token(id)).isNull();
        assertThat(leases.size()).isZero();
    }

    @Test
    void aTransitionAwayFromRunningThroughThisCoordinatorForgetsTheRun() {
        HeldLeases leases = new HeldLeases(10);
        leases.applied(running(id, 1, "run-a"));

        leases.applied(job(id, JobStatus.COMPLETED, 2, null));

        assertThat(leases.token(id)).isNull();
    }

    @Test
    void aLaterRunReplacesAnEarlierOneButAReplayedEarlierStartDoesNot() {
        HeldLeases leases = new HeldLeases(10);
        leases.applied(running(id, 1, "run-a"));
        leases.applied(running(id, 4, "run-b"));

        leases.applied(running(id, 1, "run-a")); // a retry of the first start, answered by its replay
        leases.applied(job(id, JobStatus.QUEUED, 3, null)); // likewise, a replayed earlier transition

        assertThat(leases.token(id)).isEqualTo("run-b");
    }

    @Test
    void beyondTheCapacityTheLeastRecentlyUsedRunIsForgotten() {
        HeldLeases leases = new HeldLeases(2);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        leases.applied(running(first, 1, "first"));
        leases.applied(running(second, 1, "second"));
        leases.token(first); // used: now second is the least recently used

        leases.applied(running(third, 1, "third"));

        assertThat(leases.size()).isEqualTo(2);
        assertThat(leases.token(second)).isNull();
        assertThat(leases.token(first)).isEqualTo("first");
        assertThat(leases.token(third)).isEqualTo("third");
    }

    @Test
    void atLeastOneRunMustBeHeld() {
        assertThatThrownBy(() -> new HeldLeases(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Seen failing (exceptions from the map, a wrong size, or a hang) with the {@code synchronized} removed. */
    @Test
    void concurrentCallersNeitherCorruptTheMapNorExceedItsCapacity() throws Exception {
        HeldLeases leases = new HeldLeases(64);
        List<UUID> jobs = IntStream.range(0, 256).mapToObj(i -> UUID.randomUUID()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> callers = new ArrayList<>();
            for (int caller = 0; caller < 8; caller++) {
                Random random = new Random(caller);
                callers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        UUID job = jobs.get(random.nextInt(jobs.size()));
                        long version = random.nextInt(8);
                        switch (random.nextInt(3)) {
                            case 0 -> leases.applied(running(job, version, "t" + version));
                            case 1 -> leases.seen(job, version);
                            default -> leases.token(job);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (Future<?> caller : callers) {
                    caller.get();
                }
            });
        } finally {
            pool.shutdownNow();
        }

        assertThat(leases.size()).isBetween(0, 64);
        long held = jobs.stream().filter(job -> leases.token(job) != null).count();
        assertThat(held).isEqualTo(leases.size());
    }

    private static Job running(UUID id, long version, String token) {
        return job(id, JobStatus.RUNNING, version, token);
    }

    private static Job job(UUID id, JobStatus status, long version, String token) {
        Instant now = Instant.now();
        return new Job(id, "build", status, version, 1, 0, null, null, null, now, now, now, null, token,
                token == null ? null : now.plusSeconds(60));
    }
}
