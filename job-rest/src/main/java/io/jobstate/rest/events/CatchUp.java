package io.jobstate.rest.events;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.events.EventRead;
import io.jobstate.jobs.store.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brings a stream that starts behind the {@link EventTail} up to it: reads its events from the database a
 * page at a time, the next page once the previous one was handed to the connection (so a slow client is
 * never read ahead of), then joins the tail. Runs on the container's managed executor and holds no thread
 * while the client reads. One task at a time per stream (each page schedules the next); thread-safe.
 */
final class CatchUp {

    private static final Logger LOG = Logger.getLogger(CatchUp.class.getName());

    private final StreamSubscriber stream;
    private final EventLog log;
    private final EventTail tail;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Duration retry;
    private final EventMetrics metrics;
    private final int page;

    CatchUp(StreamSubscriber stream, EventLog log, EventTail tail, Executor executor, ScheduledExecutorService scheduler,
            Duration retry, EventMetrics metrics, int page) {
        this.stream = stream;
        this.log = log;
        this.tail = tail;
        this.executor = executor;
        this.scheduler = scheduler;
        this.retry = retry;
        this.metrics = metrics;
        this.page = Math.min(page, EventQuery.MAX_LIMIT);
    }

    void start() {
        executor.execute(this::step);
    }

    private void step() {
        if (!stream.isOpen()) {
            return;
        }
        // read before the database: every event up to the tail's end is visible to the read that follows
        long tailEnd = tail.end();
        EventRead read;
        try {
            read = log.read(new EventQuery(stream.cursor(), page, stream.jobId()));
            metrics.streamRead();
        } catch (StoreUnavailableException e) {
            LOG.log(Level.FINE, "a stream cannot read the feed now; retrying", e);
            later();
            return;
        }
        switch (read) {
            case EventRead.Gone gone -> stream.gone(gone.prunedThrough());
            case EventRead.Page events -> {
                stream.offer(SseFrames.of(events.items()));
                if (events.items().size() == page) {
                    stream.whenDrained(this::start);
                    stream.drain();
                    return;
                }
                // this stream's events up to the database's end are queued, and that end is at least the tail's
                stream.advanceTo(tailEnd);
                if (tail.join(stream, stream.cursor())) {
                    stream.drain();
                } else if (tail.placed()) {
                    // the tail moved past this position meanwhile: read on, once what is queued is written
                    stream.whenDrained(this::start);
                    stream.drain();
                } else {
                    stream.drain();
                    later();
                }
            }
        }
    }

    /** The tail is not placed yet, or the database did not answer: look again after a poll interval. */
    private void later() {
        scheduler.schedule(this::start, retry.toMillis(), TimeUnit.MILLISECONDS);
    }
}
