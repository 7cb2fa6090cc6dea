package io.jobstate.rest.events;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.events.EventRead;
import io.jobstate.rest.problem.Problem;
import io.jobstate.rest.support.PeriodicWork;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;

/**
 * Opens Server-Sent Event streams: checks the position first (so a pruned one is a 410 problem, not a
 * stream), then lets the stream join this instance's {@link EventTail} at once, or read the database up to
 * it first ({@link CatchUp}). No stream holds a thread: messages are queued and written as each connection
 * takes them ({@link StreamOutput}). A sweep every second sends keep-alive comments on quiet streams and
 * ends those whose client stopped reading. Bounded by {@code jobstate.events.max-subscribers}. Thread-safe.
 */
@ApplicationScoped
public class EventStreams {

    private static final Logger LOG = Logger.getLogger(EventStreams.class.getName());
    /** A stream whose queued bytes find no taker for this long is closed (its client stopped reading). */
    private static final Duration STALL = Duration.ofSeconds(30);
    private static final Duration SWEEP = Duration.ofSeconds(1);

    @Inject
    EventLog log;

    @Inject
    EventSettings settings;

    @Inject
    EventMetrics metrics;

    @Inject
    TailFollower follower;

    @Inject
    HttpServletRequest request;

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** The open streams, catching up or following the tail. */
    private final Set<StreamSubscriber> open = ConcurrentHashMap.newKeySet();
    /** One permit per stream this server may serve at once ({@code jobstate.events.max-subscribers}). */
    private Semaphore slots;
    private PeriodicWork sweeps;

    @PostConstruct
    void sizeSlots() {
        slots = new Semaphore(settings.maxSubscribers());
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        sweeps = PeriodicWork.start(scheduler, SWEEP.compareTo(settings.keepAlive()) < 0 ? SWEEP : settings.keepAlive(),
                LOG, "keeping event streams alive", () -> true, this::sweep);
    }

    /**
     * Streams events after {@code after}, of one job or ({@code jobId} null) of all. The stream's messages
     * are written by this application itself (see {@link StreamOutput}); {@code sse} is not needed.
     */
    void open(SseEventSink sink, Sse sse, long after, UUID jobId) {
        if (log.read(new EventQuery(after, 1, jobId)) instanceof EventRead.Gone gone) {
            throw new Problem.Raised(EventProblems.gone(gone));
        }
        if (!(request.getAttribute(StreamResponseFilter.OUTPUT) instanceof StreamOutput output)) {
            throw new IllegalStateException("an event stream request did not pass StreamResponseFilter");
        }
        if (!slots.tryAcquire()) {
            throw new Problem.Raised(Problem.unavailable("STREAM_LIMIT",
                    "This server already serves its maximum number of event streams; try another or later.", "5"));
        }
        StreamSubscriber stream = new StreamSubscriber(after, jobId, output, settings.subscriberBuffer(),
                (ended, why) -> ended(ended, why, sink));
        open.add(stream);
        metrics.subscribed();
        stream.attach();
        EventTail tail = follower.tail();
        if (tail.join(stream, after)) {
            stream.drain();
        } else {
            new CatchUp(stream, log, tail, executor, scheduler, settings.pollInterval(), metrics, settings.subscriberBuffer())
                    .start();
        }
    }

    private void ended(StreamSubscriber stream, StreamSubscriber.End why, SseEventSink sink) {
        if (!open.remove(stream)) {
            return;
        }
        follower.tail().leave(stream);
        slots.release();
        metrics.unsubscribed(why);
        LOG.fine(() -> "event stream ended (" + why + ") at seq " + stream.cursor());
        // with StreamOutput underneath, the runtime's close flushes without waiting and completes the response
        sink.close();
    }

    private void sweep() {
        long now = System.nanoTime();
        long keepAlive = settings.keepAlive().toNanos();
        long stall = STALL.toNanos();
        for (StreamSubscriber stream : open) {
            stream.sweep(now, keepAlive, stall);
        }
    }

    /** Ends every stream before the container destroys the beans they use. */
    @PreDestroy
    void closeAll() {
        if (sweeps != null) {
            sweeps.stop();
        }
        open.forEach(stream -> stream.end(StreamSubscriber.End.SHUTDOWN));
    }
}
