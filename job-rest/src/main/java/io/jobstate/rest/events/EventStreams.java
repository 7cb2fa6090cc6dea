package io.jobstate.rest.events;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.events.EventRead;
import io.jobstate.rest.problem.Problem;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Opens Server-Sent Event streams: checks the position first (so a pruned one is a 410 problem, not
 * a stream), then serves each stream from a managed thread of its own until the client goes away or
 * the application stops. Bounded by {@code jobstate.events.max-subscribers}. Thread-safe.
 */
@ApplicationScoped
public class EventStreams {

    @Inject
    EventLog log;

    @Inject
    PublishedEvents published;

    @Inject
    EventSettings settings;

    @Inject
    EventMetrics metrics;

    @Resource
    ManagedThreadFactory threads;

    private static final long STOP_WAIT_MILLIS = 2000;

    /** The open streams, by the thread serving each. */
    private final Map<Thread, EventSubscription> open = new ConcurrentHashMap<>();
    /** One permit per stream this server may serve at once ({@code jobstate.events.max-subscribers}). */
    private Semaphore slots;

    @PostConstruct
    void sizeSlots() {
        slots = new Semaphore(settings.maxSubscribers());
    }

    /** Streams events after {@code after}, of one job or ({@code jobId} null) of all. */
    void open(SseEventSink sink, Sse sse, long after, UUID jobId) {
        if (log.read(new EventQuery(after, 1, jobId)) instanceof EventRead.Gone gone) {
            throw new Problem.Raised(EventProblems.gone(gone));
        }
        if (!slots.tryAcquire()) {
            throw new Problem.Raised(Problem.unavailable("STREAM_LIMIT",
                    "This server already serves its maximum number of event streams; try another or later.", "5"));
        }
        EventSubscription subscription = new EventSubscription(log, published, settings, metrics, sink, sse, after, jobId);
        Thread thread = null;
        try {
            thread = threads.newThread(() -> {
                try {
                    subscription.run();
                } finally {
                    open.remove(Thread.currentThread());
                    slots.release();
                }
            });
            open.put(thread, subscription);
            thread.start();
        } catch (RuntimeException notStarted) {
            if (thread != null) {
                open.remove(thread);
            }
            slots.release();
            throw notStarted;
        }
    }

    /** Ends every stream and waits (boundedly) for its thread before the container destroys the beans they use. */
    @PreDestroy
    void closeAll() {
        open.forEach((thread, subscription) -> {
            subscription.stop();
            thread.interrupt();
        });
        for (Thread thread : open.keySet()) {
            try {
                thread.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
