package io.jobstate.rest.claims;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.events.JobEvent;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.rest.events.FeedRead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The line of claims waiting on this instance for a job to become QUEUED, oldest first, bounded by
 * {@code jobstate.claims.max-waiters}. Every event the instance reads from the feed passes here
 * ({@link FeedRead}, on the feed's follower thread): each job that entered QUEUED wakes the oldest
 * waiter that takes its type and is not woken yet — one waiter per job, so that a new job costs one
 * claim statement per instance, not one per waiter. The type is looked up only while fewer such jobs
 * came than there are waiters (else every waiter is woken without a lookup). Thread-safe.
 */
@ApplicationScoped
public class ClaimWaiters {

    private static final Logger LOG = Logger.getLogger(ClaimWaiters.class.getName());

    @Inject
    ClaimSettings settings;

    @Inject
    JobStore store;

    @Inject
    ClaimMetrics metrics;

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Waiter> line = new ArrayList<>();

    /** A place at the end of the line, or empty when the line is full. */
    public Optional<Waiter> enlist(List<String> types) {
        lock.lock();
        try {
            if (line.size() >= settings.maxWaiters()) {
                return Optional.empty();
            }
            Waiter waiter = new Waiter(this, types);
            line.add(waiter);
            return Optional.of(waiter);
        } finally {
            lock.unlock();
        }
    }

    /** How many claims wait now. */
    public int waiting() {
        lock.lock();
        try {
            return line.size();
        } finally {
            lock.unlock();
        }
    }

    void queued(@Observes FeedRead read) {
        metrics.wokeUp(wake(read.events()));
    }

    /** Wakes a waiter for each job that entered QUEUED among {@code events}; returns how many were woken. */
    int wake(List<JobEvent> events) {
        List<UUID> queued = events.stream().filter(e -> e.to() == JobStatus.QUEUED).map(JobEvent::jobId).toList();
        if (queued.isEmpty() || waiting() == 0) {
            return 0;
        }
        if (queued.size() >= waiting()) {
            return wakeAll();
        }
        int woken = 0;
        for (UUID id : queued) {
            try {
                // a job that left QUEUED already (claimed directly, cancelled) needs nobody woken
                Optional<String> type = store.find(id).filter(job -> job.status() == JobStatus.QUEUED).map(Job::type);
                if (type.isPresent() && wakeOne(type.get())) {
                    woken++;
                }
            } catch (RuntimeException e) {
                // without the type, wake the oldest waiter: it claims again, and finds the job if it may take it
                LOG.log(Level.FINE, "looking up the type of queued job " + id + " failed", e);
                woken += wakeOne(null) ? 1 : 0;
            }
        }
        return woken;
    }

    private int wakeAll() {
        lock.lock();
        try {
            int woken = 0;
            for (Waiter waiter : line) {
                woken += waiter.wake(null) ? 1 : 0;
            }
            return woken;
        } finally {
            lock.unlock();
        }
    }

    private boolean wakeOne(String type) {
        lock.lock();
        try {
            for (Waiter waiter : line) {
                if (waiter.takes(type) && waiter.wake(type)) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    void awake(Waiter waiter) {
        lock.lock();
        try {
            waiter.wakeUsed();
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code waiter} out of the line; a wake it did not use goes to the next waiter that takes that type. */
    void leave(Waiter waiter) {
        lock.lock();
        try {
            line.remove(waiter);
            if (waiter.hasUnusedWake()) {
                wakeOne(waiter.wokenFor());
            }
        } finally {
            lock.unlock();
        }
    }
}
