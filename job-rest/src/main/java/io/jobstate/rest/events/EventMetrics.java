package io.jobstate.rest.events;

import io.jobstate.jobs.events.JobEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Timer;

/**
 * {@code jobstate_events_published_total} (numbered by this instance), {@code jobstate_event_subscribers}
 * (open streams on this instance) and {@code jobstate_event_delivery_lag_seconds} (from the transition's
 * database time to the event's hand-over to a stream). Thread-safe.
 */
@ApplicationScoped
public class EventMetrics {

    @Inject
    MetricRegistry registry;

    private final AtomicInteger subscribers = new AtomicInteger();
    private Counter published;
    private Timer deliveryLag;

    @PostConstruct
    void register() {
        published = registry.counter("jobstate_events_published");
        deliveryLag = registry.timer("jobstate_event_delivery_lag");
        registry.gauge("jobstate_event_subscribers", subscribers, AtomicInteger::get);
    }

    void published(int count) {
        if (count > 0) {
            published.inc(count);
        }
    }

    void delivered(JobEvent event) {
        Duration lag = Duration.between(event.at(), Instant.now());
        // the database and this server may disagree on the time by a little
        deliveryLag.update(lag.isNegative() ? Duration.ZERO : lag);
    }

    void subscribed() {
        subscribers.incrementAndGet();
    }

    void unsubscribed() {
        subscribers.decrementAndGet();
    }
}
