package io.jobstate.rest.events;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.rest.store.SchemaMigration;
import io.jobstate.rest.support.FailureLog;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Keeps one PostgreSQL {@code LISTEN} line open, so that events published by any instance wake this
 * instance's streams within milliseconds. While the line is down, streams poll (see
 * {@link FeedPosition#listening()}) and this loop reopens it every poll interval. Thread-safe.
 */
@ApplicationScoped
public class AnnouncementListener {

    private static final Logger LOG = Logger.getLogger(AnnouncementListener.class.getName());
    private static final Duration LISTEN_SLICE = Duration.ofSeconds(1);

    @Inject
    EventLog log;

    @Inject
    FeedPosition published;

    @Inject
    EventSettings settings;

    @Inject
    SchemaMigration schema;

    @Resource
    ManagedThreadFactory threads;

    private ManagedLoop worker;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        worker = ManagedLoop.start(threads, this::listenUntilStopped);
    }

    private void listenUntilStopped(ManagedLoop loop) {
        FailureLog failures = new FailureLog(LOG, "listening for published events");
        while (loop.running()) {
            if (!schema.ensureMigrated()) {
                // nothing is published before the schema exists; look again after a poll interval
                if (!pause()) {
                    return;
                }
                continue;
            }
            try (EventLog.Announcements line = log.listen()) {
                published.listening(true);
                failures.succeeded();
                while (loop.running()) {
                    long newest = line.await(LISTEN_SLICE);
                    if (newest >= 0 && loop.running()) {
                        published.advance(newest);
                    }
                }
            } catch (RuntimeException e) {
                if (!loop.running()) {
                    return; // the application stops: the line was closed under us
                }
                published.listening(false);
                failures.failed(e);
                if (!pause()) {
                    return;
                }
            }
        }
    }

    /** Waits a poll interval before reopening; false when interrupted (the application stops). */
    private boolean pause() {
        try {
            TimeUnit.NANOSECONDS.sleep(settings.pollInterval().toNanos());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @PreDestroy
    void stop() {
        if (worker != null) {
            worker.stop();
        }
    }
}
