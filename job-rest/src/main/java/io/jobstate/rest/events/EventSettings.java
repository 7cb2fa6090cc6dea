package io.jobstate.rest.events;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The events configuration ({@code jobstate.events.*}, ISO-8601 durations converted by MicroProfile
 * Config; environment variables JOBSTATE_EVENTS_KEEP_ALIVE …). Thread-safe (read once, checked at start).
 */
@ApplicationScoped
public class EventSettings {

    @Inject
    @ConfigProperty(name = "jobstate.events.keep-alive", defaultValue = "PT15S")
    Duration keepAlive;

    /** How often streams look anyway when the listener connection is down, and the publisher's timer. */
    @Inject
    @ConfigProperty(name = "jobstate.events.poll-interval", defaultValue = "PT0.5S")
    Duration pollInterval;

    /** At most one numbering transaction per window on this instance: events committed meanwhile share it. */
    @Inject
    @ConfigProperty(name = "jobstate.events.batch-window", defaultValue = "PT0.01S")
    Duration batchWindow;

    @Inject
    @ConfigProperty(name = "jobstate.events.retention", defaultValue = "P7D")
    Duration retention;

    @Inject
    @ConfigProperty(name = "jobstate.events.prune-interval", defaultValue = "PT10M")
    Duration pruneInterval;

    /** What ./jobstate bench events measured on 2 cores (docs/benchmarks.md): every stream exact, 28 MB heap per 1,000. */
    @Inject
    @ConfigProperty(name = "jobstate.events.max-subscribers", defaultValue = "2000")
    int maxSubscribers;

    /** How many of the newest events the instance keeps in memory for its streams (docs/design.md). */
    @Inject
    @ConfigProperty(name = "jobstate.events.tail-size", defaultValue = "10000")
    int tailSize;

    /** How many messages a stream may have waiting for its client before it is closed. */
    @Inject
    @ConfigProperty(name = "jobstate.events.subscriber-buffer", defaultValue = "2000")
    int subscriberBuffer;

    /** A value that makes no sense fails the start, not the first stream. */
    @PostConstruct
    void check() {
        if (!keepAlive.isPositive() || !pollInterval.isPositive() || retention.isNegative() || batchWindow.isNegative()
                || !pruneInterval.isPositive() || maxSubscribers < 1 || tailSize < 1 || subscriberBuffer < 1) {
            throw new IllegalArgumentException("jobstate.events.* durations must be positive (retention not negative)"
                    + " and max-subscribers, tail-size and subscriber-buffer at least 1");
        }
    }

    Duration keepAlive() {
        return keepAlive;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    Duration batchWindow() {
        return batchWindow;
    }

    Duration retention() {
        return retention;
    }

    Duration pruneInterval() {
        return pruneInterval;
    }

    int maxSubscribers() {
        return maxSubscribers;
    }

    int tailSize() {
        return tailSize;
    }

    int subscriberBuffer() {
        return subscriberBuffer;
    }
}
