package io.jobstate.rest.events;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.events.EventRead;
import io.jobstate.jobs.events.JobEvent;
import io.jobstate.jobs.store.StoreUnavailableException;
import io.jobstate.rest.support.Jsonp;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One stream: reads the feed after its cursor, sends what it finds (id = seq), then waits until the
 * instance learns of newer events (or, without announcements, a poll interval), sending a keep-alive
 * comment when nothing was sent for a while. Each page (up to 500 events) is handed to the sink at
 * once and then awaited, so a slow client holds only its own thread. Confined to its thread, except {@link #stop()}.
 */
final class EventSubscription {

    private static final Logger LOG = Logger.getLogger(EventSubscription.class.getName());
    private static final int BATCH = 500;
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final EventLog log;
    private final PublishedEvents published;
    private final EventSettings settings;
    private final EventMetrics metrics;
    private final SseEventSink sink;
    private final Sse sse;
    private final UUID jobId;
    private long cursor;
    private volatile boolean stopped;

    EventSubscription(EventLog log, PublishedEvents published, EventSettings settings, EventMetrics metrics,
                      SseEventSink sink, Sse sse, long after, UUID jobId) {
        this.log = log;
        this.published = published;
        this.settings = settings;
        this.metrics = metrics;
        this.sink = sink;
        this.sse = sse;
        this.cursor = after;
        this.jobId = jobId;
    }

    void run() {
        metrics.subscribed();
        try {
            stream();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClientGone e) {
            LOG.fine(() -> "event stream closed by its client at seq " + cursor);
        } finally {
            metrics.unsubscribed();
            sink.close();
        }
    }

    void stop() {
        stopped = true;
        sink.close();
    }

    private void stream() throws InterruptedException, ClientGone {
        Duration keepAlive = settings.keepAlive();
        long quietSince = System.nanoTime();
        while (!stopped && !sink.isClosed()) {
            // everything published up to here is in the read below: wait only for what comes after
            long observed = published.newest();
            int sent;
            boolean readFailed = false;
            try {
                sent = sendNextBatch();
            } catch (StoreUnavailableException e) {
                LOG.log(Level.FINE, "event stream cannot read the feed now; retrying", e);
                sent = 0;
                readFailed = true;
            } catch (Gone e) {
                return;
            }
            if (sent > 0) {
                quietSince = System.nanoTime();
                if (sent == BATCH) {
                    continue;
                }
            }
            Duration quiet = Duration.ofNanos(System.nanoTime() - quietSince);
            Duration untilKeepAlive = keepAlive.minus(quiet);
            if (!untilKeepAlive.isPositive()) {
                send(sse.newEventBuilder().comment("keep-alive").build());
                quietSince = System.nanoTime();
                continue;
            }
            // without announcements, or after a failed read, look again after a poll interval
            Duration wait = published.listening() && !readFailed ? untilKeepAlive : min(untilKeepAlive, settings.pollInterval());
            published.awaitBeyond(Math.max(observed, cursor), wait);
        }
    }

    private int sendNextBatch() throws ClientGone, Gone {
        EventRead read = log.read(new EventQuery(cursor, BATCH, jobId));
        if (read instanceof EventRead.Gone gone) {
            // fell behind retention while connected: say so, then end (the client resumes and gets 410)
            send(sse.newEventBuilder().name("gone").mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(String.class, Jsonp.object().add("prunedThrough", gone.prunedThrough()).build().toString())
                    .build());
            throw new Gone();
        }
        EventRead.Page page = (EventRead.Page) read;
        if (page.items().isEmpty()) {
            return 0;
        }
        // the sink writes in order: hand over the whole page, then wait once, for its last event
        CompletionStage<?> last = null;
        try {
            for (JobEvent event : page.items()) {
                last = sink.send(sse.newEventBuilder().id(Long.toString(event.seq())).mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(String.class, EventJson.of(event).toString()).build());
            }
        } catch (IllegalStateException closed) {
            throw new ClientGone();
        }
        await(last);
        page.items().forEach(metrics::delivered);
        cursor = page.lastSeq();
        return page.items().size();
    }

    private void send(OutboundSseEvent event) throws ClientGone {
        try {
            await(sink.send(event));
        } catch (IllegalStateException closed) {
            throw new ClientGone();
        }
    }

    private static void await(CompletionStage<?> sent) throws ClientGone {
        try {
            sent.toCompletableFuture().get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            throw new ClientGone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientGone();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The client closed the connection or stopped reading. */
    private static final class ClientGone extends Exception {
        private static final long serialVersionUID = 1L;

        ClientGone() {
            super(null, null, false, false);
        }
    }

    /** The cursor fell behind retention. */
    private static final class Gone extends Exception {
        private static final long serialVersionUID = 1L;

        Gone() {
            super(null, null, false, false);
        }
    }
}
