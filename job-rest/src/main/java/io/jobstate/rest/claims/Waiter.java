package io.jobstate.rest.claims;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One waiting claim's place in the {@link ClaimWaiters} line: its types and the signal that wakes it.
 * Leaving the line ({@link #close}) hands a wake it did not use to the next waiter. Thread-safe.
 */
public final class Waiter implements AutoCloseable {

    private final ClaimWaiters line;
    private final List<String> types;
    private final Semaphore signal = new Semaphore(0);
    /** Guarded by the line's lock: woken and not yet awake, and the type of job that woke it (null: unknown). */
    private boolean woken;
    private String wokenFor;

    Waiter(ClaimWaiters line, List<String> types) {
        this.line = line;
        this.types = List.copyOf(types);
    }

    /** Waits for a wake-up at most {@code max}; true when woken (the caller claims again), false when the time ran out. */
    public boolean await(Duration max) throws InterruptedException {
        if (!signal.tryAcquire(max.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        line.awake(this);
        return true;
    }

    @Override
    public void close() {
        line.leave(this);
    }

    boolean takes(String type) {
        return type == null || types.isEmpty() || types.contains(type);
    }

    /** Called with the line's lock held. */
    boolean wake(String type) {
        if (woken) {
            return false;
        }
        woken = true;
        wokenFor = type;
        signal.release();
        return true;
    }

    /** Called with the line's lock held: the wake was used. */
    void wakeUsed() {
        woken = false;
        wokenFor = null;
    }

    /** Called with the line's lock held: whether a wake came that this waiter did not use. */
    boolean hasUnusedWake() {
        return woken;
    }

    /** Called with the line's lock held: the job type of the last wake (null: unknown). */
    String wokenFor() {
        return wokenFor;
    }
}
