package io.jobstate.rest.events;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The newest sequence this instance knows to be published (from its own publisher and from the
 * announcements of every instance), and a way for the {@link TailFollower} to wait for it to move.
 * Thread-safe.
 */
@ApplicationScoped
public class FeedPosition {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    /** -1 until the first publish or announcement says where the feed is. */
    private long newest = -1;
    private volatile boolean listening;

    void advance(long seq) {
        lock.lock();
        try {
            if (seq > newest) {
                newest = seq;
                moved.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The newest sequence known to be published; -1 while nothing is known yet. */
    long newest() {
        lock.lock();
        try {
            return newest;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the feed's position is known (a publish or an announcement happened). */
    boolean known() {
        return newest() >= 0;
    }

    /** Waits until the newest sequence is above {@code seen} or {@code max} passed; returns the newest. */
    long awaitBeyond(long seen, Duration max) throws InterruptedException {
        long nanos = max.toNanos();
        lock.lock();
        try {
            while (newest <= seen && nanos > 0) {
                nanos = moved.awaitNanos(nanos);
            }
            return newest;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a thread is parked in {@link #awaitBeyond} now: lets a test signal only once a waiter is parked. */
    boolean hasWaiters() {
        lock.lock();
        try {
            return lock.hasWaiters(moved);
        } finally {
            lock.unlock();
        }
    }

    /** Whether announcements from other instances arrive now; without them streams poll. */
    boolean listening() {
        return listening;
    }

    void listening(boolean now) {
        listening = now;
    }
}
