package io.jobstate.client.events;

import io.jobstate.client.auth.BearerToken;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.WebTarget;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Subscriptions to the service's event streams, on the JAX-RS client's {@link jakarta.ws.rs.sse.SseEventSource}.
 * Uses the REST client's base URL ({@code jobstate/mp-rest/url}) and token ({@link BearerToken}) unless
 * given a base URL. Streams are read on virtual threads ({@link StreamScheduler}), not a platform thread
 * per subscription. Thread-safe; close it to release its HTTP client and threads (and with them every
 * subscription).
 */
public final class EventStreams implements AutoCloseable {

    /** Pause before a dropped stream is reopened. */
    public static final Duration RECONNECT_DELAY = Duration.ofMillis(500);

    private final URI base;
    private final StreamScheduler scheduler = new StreamScheduler();
    private final Client client;

    private EventStreams(URI base) {
        this.base = Objects.requireNonNull(base, "base");
        // the SSE sources run on the client's scheduler when it has one, and leave it running when they close
        this.client = ClientBuilder.newBuilder().connectTimeout(2, TimeUnit.SECONDS).scheduledExecutorService(scheduler)
                .register(BearerToken.class).build();
    }

    /** Streams of the service at {@code base} (its root, as {@code jobstate/mp-rest/url}). */
    public static EventStreams at(URI base) {
        return new EventStreams(base);
    }

    public static EventStreams fromConfig() {
        return at(URI.create(ConfigProvider.getConfig(EventStreams.class.getClassLoader())
                .getValue("jobstate/mp-rest/url", String.class)));
    }

    /** Every job's events after {@code after} (0: from the oldest kept), until closed. */
    public Subscription allJobs(long after, EventHandler handler) {
        return Subscription.open(target("api/events/stream"), target("api/events"), after, handler, RECONNECT_DELAY,
                scheduler);
    }

    /** One job's events after {@code after}, in version order, until closed. */
    public Subscription job(UUID jobId, long after, EventHandler handler) {
        return Subscription.open(target("api/jobs/" + jobId + "/events/stream"), target("api/events"), after, handler,
                RECONNECT_DELAY, scheduler);
    }

    private WebTarget target(String path) {
        return client.target(base).path(path);
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
