package io.jobstate.rest.events;

import io.jobstate.jobs.events.JobEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The feed's and the streams' metrics, per instance: {@code jobstate_events_published_total} (numbered by
 * this instance), {@code jobstate_event_subscribers} (open streams), {@code jobstate_event_delivery_lag_seconds}
 * (from the transition's database time to the hand-over of its event to the streams),
 * {@code jobstate_event_streams_ended_total{reason}}, {@code jobstate_event_stream_reads_total} (pages read
 * from the database for streams that started behind the tail) and {@code jobstate_event_listening} (1 while
 * the {@code LISTEN} line is open). Thread-safe.
 */
@ApplicationScoped
public class EventMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    FeedPosition published;

    private final AtomicInteger subscribers = new AtomicInteger();
    private final Map<StreamSubscriber.End, Counter> ended = new EnumMap<>(StreamSubscriber.End.class);
    private Counter publishedEvents;
    private Counter streamReads;
    private Timer deliveryLag;

    @PostConstruct
    void register() {
        publishedEvents = registry.counter("jobstate_events_published");
        deliveryLag = registry.timer("jobstate_event_delivery_lag");
        streamReads = registry.counter("jobstate_event_stream_reads");
        registry.gauge("jobstate_event_subscribers", subscribers, AtomicInteger::get);
        registry.gauge("jobstate_event_listening", published, events -> events.listening() ? 1 : 0);
        for (StreamSubscriber.End why : StreamSubscriber.End.values()) {
            ended.put(why, registry.counter("jobstate_event_streams_ended", new Tag("reason", why.name().toLowerCase(Locale.ROOT))));
        }
    }

    void published(int count) {
        if (count > 0) {
            publishedEvents.inc(count);
        }
    }

    /** An event was handed to the streams (once per event, however many streams carry it). */
    void handedOver(JobEvent event) {
        Duration lag = Duration.between(event.at(), Instant.now());
        // the database and this server may disagree on the time by a little
        deliveryLag.update(lag.isNegative() ? Duration.ZERO : lag);
    }

    void streamRead() {
        streamReads.inc();
    }

    void subscribed() {
        subscribers.incrementAndGet();
    }

    void unsubscribed(StreamSubscriber.End why) {
        subscribers.decrementAndGet();
        ended.get(why).inc();
    }
}
