package io.jobstate.rest.events;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.rest.store.JobStoreProducer;
import io.jobstate.rest.support.FailureLog;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Prunes events older than {@code jobstate.events.retention} every {@code jobstate.events.prune-interval}
 * on the container's scheduled executor. Every instance may prune; the database serialises it.
 * Consumers resuming from a pruned position get 410 Gone. Thread-safe.
 */
@ApplicationScoped
public class EventRetention {

    private static final Logger LOG = Logger.getLogger(EventRetention.class.getName());

    @Inject
    EventLog log;

    @Inject
    EventSettings settings;

    @Inject
    JobStoreProducer schema;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final FailureLog failures = new FailureLog(LOG, "pruning events");
    private ScheduledFuture<?> task;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        long every = settings.pruneInterval().toMillis();
        task = scheduler.scheduleWithFixedDelay(this::prune, every, every, TimeUnit.MILLISECONDS);
    }

    private synchronized void prune() {
        try {
            if (!schema.ensureMigrated()) {
                return;
            }
            long through = log.prune(settings.retention());
            failures.succeeded();
            LOG.fine(() -> "events pruned through seq " + through);
        } catch (RuntimeException e) {
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
