package io.jobstate.rest.leases;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.JobStatus;
import io.jobstate.rest.jobs.TransitionApplied;
import io.jobstate.rest.store.JobStoreProducer;
import io.jobstate.rest.support.FailureLog;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Every {@code jobstate.lease.reaper-interval}, on the container's scheduled executor, fails the
 * RUNNING jobs whose lease expired ("lease expired", actor reaper). Every instance reaps; the store's
 * statement makes each expiry reaped exactly once, and never a job completed or heartbeated in the
 * meantime. Counts {@code jobstate_leases_reaped_total}. Thread-safe.
 */
@ApplicationScoped
public class LeaseReaper {

    private static final Logger LOG = Logger.getLogger(LeaseReaper.class.getName());

    @Inject
    JobStore store;

    @Inject
    LeaseSettings settings;

    @Inject
    Event<TransitionApplied> applied;

    @Inject
    JobStoreProducer schema;

    @Inject
    MetricRegistry metrics;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final FailureLog failures = new FailureLog(LOG, "reaping expired leases");
    private ScheduledFuture<?> task;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        long every = settings.reaperInterval().toMillis();
        task = scheduler.scheduleWithFixedDelay(this::reap, every, every, TimeUnit.MILLISECONDS);
    }

    private synchronized void reap() {
        try {
            if (!schema.ensureMigrated()) {
                return;
            }
            List<Job> reaped;
            do {
                reaped = store.reapExpiredLeases(settings.reaperBatch());
                if (!reaped.isEmpty()) {
                    metrics.counter("jobstate_leases_reaped").inc(reaped.size());
                    reaped.forEach(job -> applied.fire(new TransitionApplied(job, JobStatus.RUNNING)));
                    List<Job> batch = reaped;
                    LOG.info(() -> "reaped " + batch.size() + " job(s) whose lease expired, e.g. " + batch.getFirst().id());
                }
            } while (reaped.size() == settings.reaperBatch());
            failures.succeeded();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: log, and try next period
            failures.failed(e);
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
