package io.jobstate.rest.events;

import io.jobstate.jobs.events.EventLog;
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
import java.util.logging.Logger;

/**
 * Prunes events older than {@code jobstate.events.retention} every {@code jobstate.events.prune-interval}
 * on the container's scheduled executor, in batches (the store's), so publishing goes on meanwhile.
 * Every instance may prune; the database serialises it. Consumers resuming from a pruned position get
 * 410 Gone. The events of a pruned job stay until then. Thread-safe.
 */
@ApplicationScoped
public class EventRetention {

    private static final Logger LOG = Logger.getLogger(EventRetention.class.getName());

    @Inject
    EventLog log;

    @Inject
    EventSettings settings;

    @Inject
    SchemaMigration schema;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Tracer tracer;

    private PeriodicWork work;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        work = PeriodicWork.start(scheduler, settings.pruneInterval(), LOG, "pruning events", schema::ensureMigrated,
                () -> BackgroundTraces.pass(tracer, "jobstate.events prune pass", () -> {
                    long through = log.prune(settings.retention());
                    LOG.fine(() -> "events pruned through seq " + through);
                }));
    }

    @PreDestroy
    void stop() {
        if (work != null) {
            work.stop();
        }
    }
}
