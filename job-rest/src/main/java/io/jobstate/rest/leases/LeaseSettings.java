package io.jobstate.rest.leases;

import io.jobstate.jobs.Lease;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Lease configuration ({@code jobstate.lease.ttl}: the length of a lease when the RUNNING request
 * names none, PT30S; {@code jobstate.lease.reaper-interval}: how often expired leases are looked
 * for, PT1S; {@code jobstate.lease.reaper-batch}: at most this many jobs per statement, 500).
 * Durations are ISO-8601, converted by MicroProfile Config. Thread-safe (read once, checked at start).
 */
@ApplicationScoped
public class LeaseSettings {

    @Inject
    @ConfigProperty(name = "jobstate.lease.ttl", defaultValue = "PT30S")
    Duration ttl;

    @Inject
    @ConfigProperty(name = "jobstate.lease.reaper-interval", defaultValue = "PT1S")
    Duration reaperInterval;

    @Inject
    @ConfigProperty(name = "jobstate.lease.reaper-batch", defaultValue = "500")
    int reaperBatch;

    @PostConstruct
    void check() {
        long seconds = ttl.toSeconds();
        if (seconds < Lease.MIN_SECONDS || seconds > Lease.MAX_SECONDS) {
            throw new IllegalArgumentException("jobstate.lease.ttl must be between " + Lease.MIN_SECONDS + " and "
                    + Lease.MAX_SECONDS + " seconds, was " + ttl);
        }
        if (!reaperInterval.isPositive() || reaperBatch < 1) {
            throw new IllegalArgumentException("jobstate.lease.reaper-interval and reaper-batch must be positive");
        }
    }

    public int defaultSeconds() {
        return (int) ttl.toSeconds();
    }

    Duration reaperInterval() {
        return reaperInterval;
    }

    int reaperBatch() {
        return reaperBatch;
    }
}
