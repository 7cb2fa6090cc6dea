package io.jobstate.client.coordinator;

import io.jobstate.client.api.ClaimRequest;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A worker loop: {@code concurrency} runs at once, each on a virtual thread of its own, each claiming
 * the next job ({@link JobCoordinator#claim}), running the caller's {@link Handler} while the lease
 * is kept alive ({@link LeaseKeeper}, on the shared timer), then completing the job with the
 * handler's result or failing it with its error. A run whose lease was taken away meanwhile (the
 * reaper, an operator) finishes nothing: the job is no longer this worker's. {@link #stop} stops
 * claiming, lets the runs finish until a deadline, then interrupts them and fails their jobs with
 * {@value #STOPPED}. Thread-safe.
 */
public final class JobWorker implements AutoCloseable {

    /** The error a job gets when the worker stopped before its run finished. */
    public static final String STOPPED = "the worker stopped before the run finished";
    private static final Logger LOG = Logger.getLogger(JobWorker.class.getName());
    /** After a claim failed (the service unreachable after the client's own retries), wait this long before the next. */
    private static final Duration AFTER_FAILED_CLAIM = Duration.ofSeconds(1);
    /** After a claim that found nothing and did not let the server wait, wait this long before the next. */
    private static final Duration IDLE = Duration.ofSeconds(1);
    /** How long {@link #stop} waits for interrupted runs to fail their jobs. */
    private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(10);

    /** The caller's work on one claimed job: returns the job's result, or throws to fail it with the exception's message. */
    @FunctionalInterface
    public interface Handler {
        JsonObject run(LeasedRun run) throws Exception;
    }

    /**
     * @param claim          what each run claims (types, lease length, the server's wait: below the client's read timeout)
     * @param concurrency    how many runs at once
     * @param heartbeatEvery how often a held lease is renewed: well below the lease length
     */
    public record Settings(ClaimRequest claim, int concurrency, Duration heartbeatEvery) {
        public Settings {
            Objects.requireNonNull(claim, "claim is required");
            if (concurrency < 1 || heartbeatEvery.isNegative() || heartbeatEvery.isZero()) {
                throw new IllegalArgumentException("concurrency and heartbeatEvery must be positive");
            }
        }
    }

    private final JobCoordinator coordinator;
    private final Settings settings;
    private final Handler handler;
    private final List<Thread> runners = new ArrayList<>();
    private volatile boolean claiming = true;
    private volatile boolean stopping;

    private JobWorker(JobCoordinator coordinator, Settings settings, Handler handler) {
        this.coordinator = Objects.requireNonNull(coordinator, "coordinator is required");
        this.settings = Objects.requireNonNull(settings, "settings is required");
        this.handler = Objects.requireNonNull(handler, "handler is required");
    }

    public static JobWorker start(JobCoordinator coordinator, Settings settings, Handler handler) {
        JobWorker worker = new JobWorker(coordinator, settings, handler);
        for (int i = 0; i < settings.concurrency(); i++) {
            worker.runners.add(Thread.ofVirtual().name("jobstate-worker-" + i).start(worker::claimAndRunUntilStopped));
        }
        return worker;
    }

    private void claimAndRunUntilStopped() {
        while (claiming) {
            Optional<LeasedRun> run;
            try {
                run = coordinator.claim(settings.claim());
            } catch (RuntimeException failure) {
                if (!claiming) {
                    return;
                }
                LOG.log(Level.WARNING, "claiming a job failed; claiming again in " + AFTER_FAILED_CLAIM, failure);
                if (!pause(AFTER_FAILED_CLAIM)) {
                    return;
                }
                continue;
            }
            // a job claimed while stopping is still run: failing it unrun would spend an attempt for nothing
            if (run.isPresent()) {
                try {
                    execute(run.get());
                } catch (RuntimeException failure) {
                    // completing or failing found no service (after the client's retries): the lease runs out
                    // and the reaper fails the job, so it is never lost; this run claims the next
                    LOG.log(Level.WARNING, "finishing job " + run.get().jobId() + " failed; its lease will expire", failure);
                }
            } else if (!serverWaits() && !pause(IDLE)) {
                return;
            }
        }
    }

    private void execute(LeasedRun run) {
        JsonObject result;
        try (LeaseKeeper keeper = run.keepAlive(settings.heartbeatEvery())) {
            try {
                result = handler.run(run);
            } catch (Exception failure) {
                boolean interrupted = Thread.interrupted() || failure instanceof InterruptedException;
                if (keeper.lost().isEmpty()) {
                    run.fail(interrupted && stopping ? STOPPED : describe(failure));
                }
                return;
            }
            if (keeper.lost().isPresent()) {
                return;
            }
        }
        Thread.interrupted();
        run.complete(result);
    }

    /**
     * Stops claiming; waits until every run finished or {@code deadline} passed, then interrupts the runs
     * still going, whose jobs are failed with {@value #STOPPED}, and waits a little for that.
     *
     * @return whether every run ended
     */
    public boolean stop(Duration deadline) throws InterruptedException {
        claiming = false;
        long end = System.nanoTime() + deadline.toNanos();
        for (Thread runner : runners) {
            runner.join(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
        }
        stopping = true;
        runners.stream().filter(Thread::isAlive).forEach(Thread::interrupt);
        long last = System.nanoTime() + AFTER_INTERRUPT.toNanos();
        for (Thread runner : runners) {
            runner.join(Duration.ofNanos(Math.max(1, last - System.nanoTime())));
        }
        return runners.stream().noneMatch(Thread::isAlive);
    }

    /** Stops with a deadline of 30 seconds. */
    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(30));
    }

    private boolean serverWaits() {
        return settings.claim().waitSeconds() != null && settings.claim().waitSeconds() > 0;
    }

    private static String describe(Exception failure) {
        String message = failure.getMessage();
        String text = failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        // the service keeps at most 4,000 characters of an error
        return text.length() > 4000 ? text.substring(0, 4000) : text;
    }

    private static boolean pause(Duration time) {
        try {
            TimeUnit.NANOSECONDS.sleep(time.toNanos());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
