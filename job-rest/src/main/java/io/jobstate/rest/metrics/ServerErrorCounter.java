package io.jobstate.rest.metrics;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * {@code jobstate_server_errors_total{status}}: the API's answers with a 5xx status, so that an error
 * rate can be alerted on beside {@code jobstate_request_seconds_count} (Open Liberty's own per-request
 * statistics, which carry the status, are switched off for their cost). 500 and 503 are registered at
 * start, so that a rate starts from zero rather than from a series that appears with the first error.
 * Thread-safe.
 */
@Provider
@ApplicationScoped
public class ServerErrorCounter implements ContainerResponseFilter {

    private static final int FIRST_SERVER_ERROR = 500;

    @Inject
    MetricRegistry registry;

    private final Map<Integer, Counter> byStatus = new ConcurrentHashMap<>();

    @PostConstruct
    void register() {
        counterOf(500);
        counterOf(503);
    }

    /** Observing the start makes the bean then, so that {@link #register} runs before the first request. */
    void registerAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // nothing more: the bean exists now
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status >= FIRST_SERVER_ERROR) {
            counterOf(status).inc();
        }
    }

    private Counter counterOf(int status) {
        return byStatus.computeIfAbsent(status,
                code -> registry.counter("jobstate_server_errors", new Tag("status", Integer.toString(code))));
    }
}
