package io.jobstate.client.coordinator;

import io.jobstate.client.problem.ConflictException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Heartbeats a lease until closed (see {@link JobCoordinator#keepLeaseAlive}). A heartbeat the
 * service refuses (409: the run is no longer this worker's) stops it and is kept as {@link #lost()};
 * other failures (after the client's own retries) are logged and the next period tries again, as the
 * lease may still be valid. Every keeper of the process shares one timer thread, which only
 * schedules: each heartbeat runs on a virtual thread of its own, and the next is scheduled when it
 * ended, so a keeper's heartbeats never overlap and a thousand held leases cost no thousand platform
 * threads. Closing lets a heartbeat under way finish (within the client's own bounds) rather than
 * interrupting it: an interrupted virtual thread closes the socket it is reading, so the service's
 * answer to a request it may already have applied would be cut off. Thread-safe.
 */
public final class LeaseKeeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class.getName());
    /** Schedules only (never blocks on a call), so one daemon thread serves every keeper. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "jobstate-lease-timer");
        thread.setDaemon(true);
        return thread;
    });

    private final Runnable heartbeat;
    private final Duration every;
    private final AtomicReference<ConflictException> lost = new AtomicReference<>();
    /** Guarded by this: closed, the next scheduled heartbeat. */
    private boolean closed;
    private ScheduledFuture<?> next;

    private LeaseKeeper(Runnable heartbeat, Duration every) {
        this.heartbeat = heartbeat;
        this.every = every;
    }

    static LeaseKeeper start(Runnable heartbeat, Duration every) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the heartbeat period must be positive: " + every);
        }
        LeaseKeeper keeper = new LeaseKeeper(heartbeat, every);
        keeper.scheduleNext();
        return keeper;
    }

    private synchronized void scheduleNext() {
        if (!closed) {
            next = TIMER.schedule(this::launch, every.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void launch() {
        if (!closed) {
            Thread.ofVirtual().name("jobstate-lease-keeper").start(this::beatThenScheduleNext);
        }
    }

    private void beatThenScheduleNext() {
        try {
            heartbeat.run();
            scheduleNext();
        } catch (ConflictException refused) {
            lost.set(refused);
        } catch (Exception failure) {
            // a heartbeat that ends after the keeper was closed fails for nobody: no warning
            if (isClosed()) {
                return;
            }
            // anything else (no answer after the client's retries, a timeout, an open circuit): the lease
            // may still be valid; the next period tries again
            LOG.log(Level.WARNING, "heartbeat failed; trying again next period", failure);
            scheduleNext();
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** The refusal that ended the keeping, when the lease was taken away. */
    public Optional<ConflictException> lost() {
        return Optional.ofNullable(lost.get());
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
    }
}
