package io.jobstate.rest.retention;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.retention.JobPruner;
import io.jobstate.jobs.retention.RetentionPolicy;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The retention configuration (MicroProfile Config, so environment variables work:
 * {@code JOBSTATE_RETENTION_COMPLETED} …): {@code jobstate.retention.completed} (P7D),
 * {@code .cancelled} (P7D), {@code .failed} (P30D) — how long a job is kept after it finished in that
 * status, an ISO-8601 duration or {@code forever}; {@code .idempotency-window} (P1D) — a job created
 * with an Idempotency-Key is kept at least that long after it finished; {@code .interval} (PT1M) —
 * how often each instance prunes; {@code .batch} (500) — jobs per transaction. A value that makes no
 * sense fails the start. Thread-safe (read once, checked at start).
 */
@ApplicationScoped
public class RetentionSettings {

    /** Written instead of a duration: the status is never pruned. */
    static final String FOREVER = "forever";

    @Inject
    @ConfigProperty(name = "jobstate.retention.completed", defaultValue = "P7D")
    String completed;

    @Inject
    @ConfigProperty(name = "jobstate.retention.cancelled", defaultValue = "P7D")
    String cancelled;

    @Inject
    @ConfigProperty(name = "jobstate.retention.failed", defaultValue = "P30D")
    String failed;

    @Inject
    @ConfigProperty(name = "jobstate.retention.idempotency-window", defaultValue = "P1D")
    Duration idempotencyWindow;

    @Inject
    @ConfigProperty(name = "jobstate.retention.interval", defaultValue = "PT1M")
    Duration interval;

    @Inject
    @ConfigProperty(name = "jobstate.retention.batch", defaultValue = "500")
    int batch;

    private RetentionPolicy policy;

    @PostConstruct
    void check() {
        Map<JobStatus, Duration> retained = new EnumMap<>(JobStatus.class);
        period("jobstate.retention.completed", completed).ifPresent(kept -> retained.put(JobStatus.COMPLETED, kept));
        period("jobstate.retention.cancelled", cancelled).ifPresent(kept -> retained.put(JobStatus.CANCELLED, kept));
        period("jobstate.retention.failed", failed).ifPresent(kept -> retained.put(JobStatus.FAILED, kept));
        if (idempotencyWindow.isNegative()) {
            throw new IllegalArgumentException("jobstate.retention.idempotency-window must not be negative: " + idempotencyWindow);
        }
        if (!interval.isPositive()) {
            throw new IllegalArgumentException("jobstate.retention.interval must be positive: " + interval);
        }
        if (batch < 1 || batch > JobPruner.MAX_BATCH) {
            throw new IllegalArgumentException("jobstate.retention.batch must be between 1 and " + JobPruner.MAX_BATCH + ", was " + batch);
        }
        policy = new RetentionPolicy(retained, idempotencyWindow);
    }

    /** {@code value} of setting {@code key}: empty for {@value #FOREVER}, else a duration that is not negative. */
    static Optional<Duration> period(String key, String value) {
        String trimmed = value == null ? "" : value.trim();
        if (trimmed.toLowerCase(Locale.ROOT).equals(FOREVER)) {
            return Optional.empty();
        }
        try {
            Duration kept = Duration.parse(trimmed);
            if (kept.isNegative()) {
                throw new IllegalArgumentException(key + " must not be negative: " + value);
            }
            return Optional.of(kept);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be an ISO-8601 duration (P7D, PT12H) or " + FOREVER + ", was '" + value + "'", e);
        }
    }

    RetentionPolicy policy() {
        return policy;
    }

    Duration interval() {
        return interval;
    }

    int batch() {
        return batch;
    }

    /** One line for the log: what is kept how long. */
    String describe() {
        String statuses = Arrays.stream(JobStatus.values()).filter(JobStatus::isFinished)
                .map(status -> status + " " + policy.retention(status).map(Duration::toString).orElse(FOREVER))
                .collect(Collectors.joining(", "));
        return "retention: " + statuses + "; with an Idempotency-Key at least " + policy.idempotencyWindow()
                + "; every " + interval + ", " + batch + " jobs per batch";
    }
}
