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
 * given a base URL. Thread-safe; close it to release its HTTP client (and with it every subscription).
 */
public final class EventStreams implements AutoCloseable {

    /** Pause before a dropped stream is reopened. */
    public static final Duration RECONNECT_DELAY = Duration.ofMillis(500);

    private final URI base;
    private final Client client;

    private EventStreams(URI base) {
        this.base = Objects.requireNonNull(base, "base");
        this.client = ClientBuilder.newBuilder().connectTimeout(2, TimeUnit.SECONDS).register(BearerToken.class).build();
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
        return Subscription.open(target("api/events/stream"), target("api/events"), after, handler, RECONNECT_DELAY);
    }

    /** One job's events after {@code after}, in version order, until closed. */
    public Subscription job(UUID jobId, long after, EventHandler handler) {
        return Subscription.open(target("api/jobs/" + jobId + "/events/stream"), target("api/events"), after, handler,
                RECONNECT_DELAY);
    }

    private WebTarget target(String path) {
        return client.target(base).path(path);
    }

    @Override
    public void close() {
        client.close();
    }
}
