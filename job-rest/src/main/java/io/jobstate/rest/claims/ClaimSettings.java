package io.jobstate.rest.claims;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Configuration of claims (MP Config). */
@ApplicationScoped
public class ClaimSettings {

    /**
     * How many claims may wait at once on this instance; each holds a request thread while it waits.
     * A waiting claim beyond it gets 503 {@value ClaimBounds#LINE_FULL} (a claim that finds a job at
     * once is never refused).
     */
    @Inject
    @ConfigProperty(name = "jobstate.claims.max-waiters", defaultValue = "256")
    int maxWaiters;

    @PostConstruct
    void check() {
        if (maxWaiters < 1) {
            throw new IllegalArgumentException("jobstate.claims.max-waiters must be at least 1, was " + maxWaiters);
        }
    }

    int maxWaiters() {
        return maxWaiters;
    }
}
