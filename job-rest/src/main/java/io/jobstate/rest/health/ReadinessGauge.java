package io.jobstate.rest.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * {@code jobstate_ready}: 1 while {@link StoreReadiness} would answer UP, 0 otherwise, evaluated at each
 * scrape, so that Prometheus (which does not read {@code /health}) can alert on an instance that is up
 * but not ready. A scrape costs what a readiness probe costs: one connection check, bounded to a second.
 * Thread-safe.
 */
@ApplicationScoped
public class ReadinessGauge {

    @Inject
    @Readiness
    StoreReadiness readiness;

    @Inject
    MetricRegistry registry;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        registry.gauge("jobstate_ready", readiness, check -> check.call().getStatus() == HealthCheckResponse.Status.UP ? 1 : 0);
    }
}
