package io.jobstate.rest.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * {@code jobstate_request_seconds{endpoint="JobResource.get"}}: how long each API operation took,
 * from the start of its JAX-RS handling to its answer, including error answers. It replaces Open
 * Liberty's own REST and HTTP request statistics ({@code <monitor>} in server.xml), which cost about
 * a tenth of a request's CPU (JFR); one timer per operation, looked up once, costs a clock read and an
 * update. Event streams are left out (their request lasts as long as the stream). Thread-safe.
 */
@Provider
@ApplicationScoped
public class RequestTimer implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String STARTED = RequestTimer.class.getName() + ".started";

    @Inject
    MetricRegistry registry;

    @Context
    ResourceInfo resource;

    private final Map<Method, Timer> timers = new ConcurrentHashMap<>();

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object started = request.getProperty(STARTED);
        Method method = resource.getResourceMethod();
        if (!(started instanceof Long since) || method == null || streams(response)) {
            return;
        }
        timers.computeIfAbsent(method, this::timerOf).update(Duration.ofNanos(System.nanoTime() - since));
    }

    private Timer timerOf(Method method) {
        return registry.timer("jobstate_request",
                new Tag("endpoint", method.getDeclaringClass().getSimpleName() + "." + method.getName()));
    }

    private static boolean streams(ContainerResponseContext response) {
        return MediaType.SERVER_SENT_EVENTS_TYPE.isCompatible(response.getMediaType());
    }
}
