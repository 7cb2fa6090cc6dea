package io.jobstate.rest.leases;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.JobStatus;
import io.jobstate.rest.jobs.TransitionApplied;
import io.jobstate.rest.store.SchemaMigration;
import io.jobstate.rest.support.PeriodicWork;
import io.jobstate.rest.tracing.BackgroundTraces;
import io.opentelemetry.api.trace.Tracer;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;
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
    SchemaMigration schema;

    @Inject
    MetricRegistry metrics;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Tracer tracer;

    private PeriodicWork work;
    private Counter reapedLeases;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // registered before the first reap, so that the counter's rate starts from zero, not from the first reap
        reapedLeases = metrics.counter("jobstate_leases_reaped");
        work = PeriodicWork.start(scheduler, settings.reaperInterval(), LOG, "reaping expired leases",
                schema::ensureMigrated, () -> BackgroundTraces.pass(tracer, "jobstate.reaper pass", this::reapAll));
    }

    /** Reaps batch after batch until a batch is not full: a backlog (an outage, a restart) is cleared in one run. */
    private long reapAll() {
        List<Job> reaped;
        long total = 0;
        do {
            reaped = store.reapExpiredLeases(settings.reaperBatch());
            total += reaped.size();
            if (!reaped.isEmpty()) {
                reapedLeases.inc(reaped.size());
                reaped.forEach(job -> applied.fire(new TransitionApplied(job, JobStatus.RUNNING)));
                List<Job> batch = reaped;
                LOG.info(() -> "reaped " + batch.size() + " job(s) whose lease expired, e.g. " + batch.getFirst().id());
            }
        } while (reaped.size() == settings.reaperBatch());
        return total;
    }

    @PreDestroy
    void stop() {
        if (work != null) {
            work.stop();
        }
    }
}
