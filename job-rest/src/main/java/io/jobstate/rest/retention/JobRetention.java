package io.jobstate.rest.retention;

import io.jobstate.jobs.retention.JobPruner;
import io.jobstate.rest.store.SchemaMigration;
import io.jobstate.rest.support.PeriodicWork;
import io.jobstate.rest.tracing.BackgroundTraces;
import io.opentelemetry.api.trace.Tracer;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Every {@code jobstate.retention.interval}, on the container's scheduled executor, deletes the
 * finished jobs past their retention, batch after batch ({@code jobstate.retention.batch} jobs per
 * transaction), at most {@value #MAX_BATCHES_PER_PASS} batches per pass: a backlog after an outage is
 * worked off over the following passes rather than in one long run. Every instance prunes; the
 * store's statements delete each job once and never wait for a row another writer holds. A pass with
 * nothing due only reads. Thread-safe.
 */
@ApplicationScoped
public class JobRetention {

    /** At most this many batches per pass (100,000 jobs at the default batch). */
    static final int MAX_BATCHES_PER_PASS = 200;

    private static final Logger LOG = Logger.getLogger(JobRetention.class.getName());

    @Inject
    JobPruner pruner;

    @Inject
    RetentionSettings settings;

    @Inject
    RetentionMetrics metrics;

    @Inject
    SchemaMigration schema;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Tracer tracer;

    private PeriodicWork work;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        LOG.info(settings::describe);
        work = PeriodicWork.start(scheduler, settings.interval(), LOG, "pruning finished jobs", schema::ensureMigrated,
                () -> BackgroundTraces.pass(tracer, "jobstate.retention pass", this::pass));
    }

    private long pass() {
        long began = System.nanoTime();
        JobPruner.Pruned pruned = pruner.prune(settings.policy(), settings.batch(), MAX_BATCHES_PER_PASS);
        metrics.passed(pruned, Duration.ofNanos(System.nanoTime() - began), pruner.oldestFinished());
        if (pruned.moreDue()) {
            LOG.info(() -> "pruned " + pruned.total() + " finished jobs " + pruned.deleted()
                    + "; more are due, the next pass goes on");
        } else if (pruned.total() > 0) {
            LOG.fine(() -> "pruned " + pruned.total() + " finished jobs " + pruned.deleted());
        }
        return pruned.total();
    }

    @PreDestroy
    void stop() {
        if (work != null) {
            work.stop();
        }
    }
}
