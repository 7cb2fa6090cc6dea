package io.jobstate.rest.events;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.events.EventRead;
import io.jobstate.jobs.events.JobEvent;
import io.jobstate.rest.store.SchemaMigration;
import io.jobstate.rest.support.FailureLog;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * Reads the feed into this instance's {@link EventTail}, once for every stream: whenever the instance learns
 * of newer events ({@link FeedPosition}: its own publisher, or any instance's announcement), it reads
 * everything after the tail's end, a page at a time, appends it and writes it to the streams that follow.
 * Without announcements (the {@code LISTEN} line is down) it also reads every poll interval. One managed
 * thread; the writes it starts never block it. Thread-safe.
 */
@ApplicationScoped
public class TailFollower {

    private static final Logger LOG = Logger.getLogger(TailFollower.class.getName());
    private static final int PAGE = EventQuery.MAX_LIMIT;
    /** With announcements, a read anyway this often: a lost one costs at most this much delay. */
    private static final Duration LISTENING_WAIT = Duration.ofSeconds(5);

    @Inject
    EventLog log;

    @Inject
    FeedPosition published;

    @Inject
    EventSettings settings;

    @Inject
    EventMetrics metrics;

    @Inject
    SchemaMigration schema;

    @Inject
    Event<FeedRead> read;

    @Resource
    ManagedThreadFactory threads;

    private EventTail tail;
    private ManagedLoop worker;

    @PostConstruct
    void create() {
        tail = new EventTail(settings.tailSize());
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        worker = ManagedLoop.start(threads, this::followUntilStopped);
    }

    EventTail tail() {
        return tail;
    }

    private void followUntilStopped(ManagedLoop loop) {
        FailureLog failures = new FailureLog(LOG, "reading published events for the streams");
        while (loop.running()) {
            boolean failed = false;
            try {
                if (!tail.placed() && published.known()) {
                    tail.place(published.newest());
                }
                if (tail.placed() && schema.ensureMigrated()) {
                    readNew();
                }
                failures.succeeded();
            } catch (RuntimeException e) {
                failures.failed(e);
                failed = true;
            }
            Duration wait = published.listening() && !failed ? LISTENING_WAIT : settings.pollInterval();
            try {
                published.awaitBeyond(tail.end(), wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Everything after the tail's end, appended and handed to the streams a page at a time. */
    private void readNew() {
        while (true) {
            switch (log.read(new EventQuery(tail.end(), PAGE, null))) {
                case EventRead.Gone gone -> {
                    // this instance could not read for longer than the retention: its streams cannot go on
                    LOG.warning(() -> "the feed was pruned through " + gone.prunedThrough() + " past this instance's tail at "
                            + gone.after() + "; its streams end with 'gone'");
                    tail.restartAt(gone.prunedThrough()).forEach(stream -> stream.gone(gone.prunedThrough()));
                    return;
                }
                case EventRead.Page page -> {
                    if (page.items().isEmpty()) {
                        return;
                    }
                    handOver(page.items());
                    if (page.items().size() < PAGE) {
                        return;
                    }
                }
            }
        }
    }

    private void handOver(List<JobEvent> events) {
        List<StreamSubscriber> touched = tail.append(FrameBatch.of(SseFrames.of(events)));
        events.forEach(metrics::handedOver);
        for (StreamSubscriber stream : touched) {
            stream.drain();
        }
        read.fire(new FeedRead(events));
    }

    @PreDestroy
    void stop() {
        if (worker != null) {
            worker.stop();
        }
    }
}
