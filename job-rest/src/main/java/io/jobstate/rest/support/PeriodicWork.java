package io.jobstate.rest.support;

import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Background work the container's scheduler runs every period, with a fixed delay between runs (so
 * runs never overlap), and only once {@code ready} (the schema is migrated). A run that fails is
 * logged through {@link FailureLog} and the next period tries again — a scheduled task that throws
 * is never run again, so none may escape. Thread-safe.
 */
public final class PeriodicWork {

    private final ScheduledFuture<?> task;

    private PeriodicWork(ScheduledFuture<?> task) {
        this.task = task;
    }

    /** Starts running {@code work} every {@code period}; {@code what} names it in the log ("pruning events"). */
    public static PeriodicWork start(ManagedScheduledExecutorService scheduler, Duration period, Logger log, String what,
                                     BooleanSupplier ready, Runnable work) {
        FailureLog failures = new FailureLog(log, what);
        Runnable guarded = () -> {
            try {
                if (ready.getAsBoolean()) {
                    work.run();
                    failures.succeeded();
                }
            } catch (RuntimeException e) {
                failures.failed(e);
            }
        };
        long every = period.toMillis();
        return new PeriodicWork(scheduler.scheduleWithFixedDelay(guarded, every, every, TimeUnit.MILLISECONDS));
    }

    /** No further runs; a run under way finishes. */
    public void stop() {
        task.cancel(false);
    }
}
