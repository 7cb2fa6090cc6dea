package io.jobstate.rest.events;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The events configuration ({@code jobstate.events.*}, ISO-8601 durations; environment variables
 * JOBSTATE_EVENTS_KEEP_ALIVE …). Thread-safe (read and parsed once).
 */
@ApplicationScoped
public class EventSettings {

    @Inject
    @ConfigProperty(name = "jobstate.events.keep-alive", defaultValue = "PT15S")
    String keepAlive;

    /** How often streams look anyway when the listener connection is down, and the publisher's timer. */
    @Inject
    @ConfigProperty(name = "jobstate.events.poll-interval", defaultValue = "PT0.5S")
    String pollInterval;

    @Inject
    @ConfigProperty(name = "jobstate.events.retention", defaultValue = "P7D")
    String retention;

    @Inject
    @ConfigProperty(name = "jobstate.events.prune-interval", defaultValue = "PT10M")
    String pruneInterval;

    @Inject
    @ConfigProperty(name = "jobstate.events.max-subscribers", defaultValue = "200")
    int maxSubscribers;

    private Duration keepAliveDuration;
    private Duration pollIntervalDuration;
    private Duration retentionDuration;
    private Duration pruneIntervalDuration;

    /** Parsed once: the streams ask for these on every wait. A malformed value fails the start. */
    @PostConstruct
    void parse() {
        keepAliveDuration = Duration.parse(keepAlive);
        pollIntervalDuration = Duration.parse(pollInterval);
        retentionDuration = Duration.parse(retention);
        pruneIntervalDuration = Duration.parse(pruneInterval);
    }

    Duration keepAlive() {
        return keepAliveDuration;
    }

    Duration pollInterval() {
        return pollIntervalDuration;
    }

    Duration retention() {
        return retentionDuration;
    }

    Duration pruneInterval() {
        return pruneIntervalDuration;
    }

    int maxSubscribers() {
        return maxSubscribers;
    }
}
