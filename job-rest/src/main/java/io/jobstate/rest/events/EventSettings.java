package io.jobstate.rest.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The events configuration ({@code jobstate.events.*}, ISO-8601 durations; environment variables
 * JOBSTATE_EVENTS_KEEP_ALIVE …). Thread-safe (read once).
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

    Duration keepAlive() {
        return Duration.parse(keepAlive);
    }

    Duration pollInterval() {
        return Duration.parse(pollInterval);
    }

    Duration retention() {
        return Duration.parse(retention);
    }

    Duration pruneInterval() {
        return Duration.parse(pruneInterval);
    }

    int maxSubscribers() {
        return maxSubscribers;
    }
}
