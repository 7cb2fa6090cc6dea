package io.jobstate.client.events;

import io.jobstate.client.api.JobStatus;
import io.jobstate.client.problem.AccessDeniedException;
import io.jobstate.client.problem.JobNotFoundException;
import io.jobstate.client.problem.ProblemResponses;
import io.jobstate.client.problem.JobstateException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.InboundSseEvent;
import jakarta.ws.rs.sse.SseEventSource;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One live subscription. A dropped connection is resumed after the last event received, so it costs
 * nothing but the pause before the next; an event at or below the last one delivered is never
 * delivered twice. Thread-safe; events reach the handler one at a time, in order.
 */
public final class Subscription implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Subscription.class.getName());

    private final WebTarget stream;
    private final WebTarget feed;
    private final EventHandler handler;
    private final Duration reconnectDelay;
    /** The scheduler of the streams this subscription belongs to, shared with the other subscriptions. */
    private final ScheduledExecutorService reconnects;
    private volatile long lastSeq;
    private volatile boolean closed;
    private SseEventSource source;
    private Future<?> reconnection;

    private Subscription(WebTarget stream, WebTarget feed, long after, EventHandler handler, Duration reconnectDelay,
                         ScheduledExecutorService reconnects) {
        this.stream = stream;
        this.feed = feed;
        this.lastSeq = after;
        this.handler = handler;
        this.reconnectDelay = reconnectDelay;
        this.reconnects = reconnects;
    }

    static Subscription open(WebTarget stream, WebTarget feed, long after, EventHandler handler, Duration reconnectDelay,
                             ScheduledExecutorService reconnects) {
        Subscription subscription = new Subscription(stream, feed, after, handler, reconnectDelay, reconnects);
        subscription.connect();
        return subscription;
    }

    /** The sequence of the last event delivered (or the starting position). */
    public long lastSeq() {
        return lastSeq;
    }

    public boolean isOpen() {
        return !closed;
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        // The source reconnects by itself when a stream ends or breaks, after the delay, sending
        // Last-Event-ID (the last event it saw; the service resumes after it). Events at or below
        // lastSeq are dropped, so a resumption never delivers twice. ?after= places the first connection.
        source = SseEventSource.target(stream.queryParam("after", lastSeq))
                .reconnectingEvery(reconnectDelay.toMillis(), TimeUnit.MILLISECONDS).build();
        SseEventSource opened = source;
        opened.register(this::received, failure -> dropped(opened, failure), () -> dropped(opened, null));
        opened.open();
    }

    private void received(InboundSseEvent inbound) {
        if (closed || inbound.getId() == null || inbound.readData() == null) {
            return; // keep-alive comments and unnamed noise
        }
        if ("gone".equals(inbound.getName())) {
            return; // followed by the end of the stream; the reconnection then answers 410
        }
        JobEvent event = parse(inbound.readData());
        synchronized (this) {
            // checked again under the lock: close() may have run while this event waited for it
            if (closed || event.seq() <= lastSeq) {
                return;
            }
            handler.onEvent(event);
            lastSeq = event.seq();
        }
    }

    /**
     * The source reported an error or its end. A refusal retrying cannot cure ends the subscription;
     * otherwise, if the source gave up (it is no longer open), a new one is opened from lastSeq.
     */
    private void dropped(SseEventSource which, Throwable failure) {
        synchronized (this) {
            if (closed || which != source) {
                return; // a source this subscription already replaced or closed
            }
        }
        if (failure != null) {
            LOG.log(Level.FINE, "event stream dropped after seq " + lastSeq, failure);
        }
        JobstateException fatal = failure instanceof WebApplicationException web ? fatal(web.getResponse()) : null;
        if (fatal == null && (failure == null || !which.isOpen())) {
            fatal = probe();
        }
        if (fatal != null) {
            close();
            handler.onFailure(fatal);
            return;
        }
        // An error answer the source does not retry by itself (a 404 page of a server still deploying the
        // service) leaves it open but idle: replace it as when it gives up.
        if (!which.isOpen() || failure instanceof WebApplicationException) {
            scheduleReconnection();
        }
    }

    private synchronized void scheduleReconnection() {
        if (closed) {
            return;
        }
        try {
            reconnection = reconnects.schedule(this::reconnect, reconnectDelay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException streamsClosed) {
            closed = true; // the EventStreams this subscription belongs to was closed: nothing reads any more
        }
    }

    private void reconnect() {
        JobstateException fatal = probe();
        if (fatal != null) {
            close();
            handler.onFailure(fatal);
            return;
        }
        SseEventSource old;
        synchronized (this) {
            old = source;
        }
        old.close(0, TimeUnit.SECONDS);
        connect();
    }

    /** Asks the feed whether resuming is possible at all, and why not. */
    private JobstateException probe() {
        try (Response response = feed.queryParam("after", lastSeq).queryParam("limit", 1).request().get()) {
            return fatal(response);
        } catch (RuntimeException unreachable) {
            return null; // the next connection attempt will tell
        }
    }

    private static JobstateException fatal(Response response) {
        if (response == null) {
            return null;
        }
        return switch (response.getStatus()) {
            case 401, 403 -> new AccessDeniedException(response.getStatus(), "Access denied",
                    "the token does not allow reading events");
            case 404 -> ProblemResponses.isProblem(response) ? new JobNotFoundException(null, "No job has this id.") : null;
            case 410 -> gone(response);
            default -> null;
        };
    }

    private static EventStreamGoneException gone(Response response) {
        long prunedThrough = -1;
        try {
            JsonObject problem = Json.createReader(new StringReader(response.readEntity(String.class))).readObject();
            prunedThrough = problem.getJsonNumber("prunedThrough").longValue();
        } catch (RuntimeException unreadable) {
            // the status says enough
        }
        return new EventStreamGoneException("events after the resume position were pruned", prunedThrough);
    }

    static JobEvent parse(String data) {
        try (JsonReader reader = Json.createReader(new StringReader(data))) {
            JsonObject json = reader.readObject();
            return new JobEvent(json.getJsonNumber("seq").longValue(), UUID.fromString(json.getString("jobId")),
                    JobStatus.valueOf(json.getString("from")), JobStatus.valueOf(json.getString("to")),
                    json.getJsonNumber("version").longValue(), Instant.parse(json.getString("at")),
                    json.getString("traceId", null));
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (reconnection != null) {
            reconnection.cancel(false); // not the running one: close() may be called from it
        }
        if (source != null) {
            source.close(1, TimeUnit.SECONDS);
        }
    }
}
