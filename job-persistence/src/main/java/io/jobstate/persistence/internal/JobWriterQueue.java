package io.jobstate.persistence.internal;

import io.jobstate.persistence.JobstatePersistence;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The writes of one job wait for each other here, one at a time per job in this process, instead of
 * in PostgreSQL's lock queue, where each waiter would hold a pooled connection: a job whose row
 * another session holds (an operator's open transaction, a stuck migration) ties up one connection
 * of this instance, not the pool, and every other job, read and health check keeps its usual pace.
 * Writers of one job are serialised by its row lock anyway, so nothing that could run in parallel
 * waits here.
 *
 * <p>At most {@link JobstatePersistence#MAX_WAITING_WRITERS} requests wait behind the writer in turn;
 * one more is answered at once ({@link RowLockTimeout}): a busy job cannot hold more request threads.
 * A request waits at most the lock bound for its turn (then {@link RowLockTimeout}); in its turn,
 * the database bounds the wait for the row lock with the same bound ({@code lock_timeout}). When the
 * writer in turn gives up on the row lock, every request that queued behind it meanwhile gives up as
 * its turn comes, without asking the database again: they waited as long for the same lock. So while
 * a row stays held, every request for it is answered within the bound.
 *
 * <p>Hand-written rather than a striped lock (Guava's {@code Striped}): a stripe shared by two jobs
 * would make a job wait for a stranger's lock. A job's queue exists only while requests for it are
 * under way. Thread-safe.
 */
final class JobWriterQueue {

    private final ConcurrentHashMap<UUID, Queue> queues = new ConcurrentHashMap<>();
    private final Duration bound;

    JobWriterQueue(Duration bound) {
        this.bound = bound;
    }

    /** Runs {@code write} in job {@code id}'s turn. */
    <T> T inTurn(UUID id, Supplier<T> write) {
        long arrived = System.nanoTime();
        boolean[] full = {false};
        Queue queue = queues.compute(id, (key, existing) -> {
            Queue joined = existing == null ? new Queue() : existing;
            full[0] = joined.members > JobstatePersistence.MAX_WAITING_WRITERS;
            return full[0] ? joined : joined.join();
        });
        if (full[0]) {
            throw new RowLockTimeout("job " + id + ": " + JobstatePersistence.MAX_WAITING_WRITERS
                    + " requests of this instance already wait for it", null);
        }
        try {
            if (!queue.lock.tryLock(bound.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new RowLockTimeout("job " + id + ": other writers of this instance held it longer than " + bound, null);
            }
            try {
                return queue.write(id, arrived, write);
            } finally {
                queue.lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RowLockTimeout("job " + id + ": interrupted while waiting for its turn", e);
        } finally {
            queues.computeIfPresent(id, (key, existing) -> existing.leave() ? null : existing);
        }
    }

    /** The queue of one job: a fair lock, and when the last writer in turn gave up on the row lock. */
    private static final class Queue {
        final ReentrantLock lock = new ReentrantLock(true);
        /** Changed only inside the map's compute for this job (atomic per key). */
        private int members;
        /** Guarded by {@link #lock}. */
        private boolean gaveUp;
        private long gaveUpAt;

        Queue join() {
            members++;
            return this;
        }

        /** True when no request is left. */
        boolean leave() {
            return --members == 0;
        }

        <T> T write(UUID id, long arrived, Supplier<T> write) {
            if (gaveUp && gaveUpAt - arrived > 0) {
                throw new RowLockTimeout("job " + id + ": the writer before this request timed out on the job's row lock", null);
            }
            try {
                return write.get();
            } catch (RowLockTimeout e) {
                gaveUp = true;
                gaveUpAt = System.nanoTime();
                throw e;
            }
        }
    }
}
