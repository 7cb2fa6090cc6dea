package io.jobstate.client.coordinator;

import io.jobstate.client.problem.ConflictException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Heartbeats a lease on a daemon thread of its own until closed (see
 * {@link JobCoordinator#keepLeaseAlive}). A heartbeat the service refuses (409: the run is no longer
 * this worker's) stops it and is kept as {@link #lost()}; other failures (after the client's own
 * retries) are logged and the next period tries again, as the lease may still be valid. Thread-safe.
 */
public final class LeaseKeeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class.getName());

    private final ScheduledExecutorService timer;
    private final AtomicReference<ConflictException> lost = new AtomicReference<>();

    private LeaseKeeper() {
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jobstate-lease-keeper");
            thread.setDaemon(true);
            return thread;
        });
    }

    static LeaseKeeper start(Runnable heartbeat, Duration every) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the heartbeat period must be positive: " + every);
        }
        LeaseKeeper keeper = new LeaseKeeper();
        keeper.timer.scheduleWithFixedDelay(() -> keeper.beat(heartbeat), every.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
        return keeper;
    }

    private void beat(Runnable heartbeat) {
        try {
            heartbeat.run();
        } catch (ConflictException refused) {
            lost.set(refused);
            timer.shutdown();
        } catch (RuntimeException failure) {
            // anything else (no answer after the client's retries, a timeout, an open circuit): the lease
            // may still be valid; an exception escaping here would silently cancel every later heartbeat
            LOG.log(Level.WARNING, "heartbeat failed; trying again next period", failure);
        }
    }

    /** The refusal that ended the keeping, when the lease was taken away. */
    public Optional<ConflictException> lost() {
        return Optional.ofNullable(lost.get());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
