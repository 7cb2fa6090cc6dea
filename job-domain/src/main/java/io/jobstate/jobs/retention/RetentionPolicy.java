package io.jobstate.jobs.retention;

import io.jobstate.jobs.JobStatus;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How long finished jobs are kept after their {@code finishedAt}, per finished status (a status
 * without an entry is kept forever), and the idempotency window: a job created with an
 * {@code Idempotency-Key} is kept at least that long after it finished too, so that a retried creation
 * within the window finds its job and is replayed rather than creating another one. Statuses that are
 * not finished (PENDING, QUEUED, RUNNING) can have no retention: they are never pruned. Immutable and
 * thread-safe.
 */
public record RetentionPolicy(Map<JobStatus, Duration> retained, Duration idempotencyWindow) {

    public RetentionPolicy {
        Objects.requireNonNull(retained, "retained is required");
        Objects.requireNonNull(idempotencyWindow, "idempotencyWindow is required");
        Map<JobStatus, Duration> copy = new EnumMap<>(JobStatus.class);
        retained.forEach((status, kept) -> {
            if (!status.isFinished()) {
                throw new IllegalArgumentException(status + " jobs are never pruned: only finished statuses have a retention");
            }
            copy.put(status, nonNegative(status + " retention", kept));
        });
        retained = Collections.unmodifiableMap(copy);
        nonNegative("the idempotency window", idempotencyWindow);
    }

    /** The finished statuses that are pruned at all (the others are kept forever). */
    public Set<JobStatus> pruned() {
        return retained.keySet();
    }

    /** How long a job that finished in {@code status} without a creation key is kept; empty: forever. */
    public Optional<Duration> retention(JobStatus status) {
        return Optional.ofNullable(retained.get(status));
    }

    /** The same for a job created with an Idempotency-Key: the longer of its status's retention and the window. */
    public Optional<Duration> retentionOfKeyed(JobStatus status) {
        return retention(status).map(kept -> kept.compareTo(idempotencyWindow) >= 0 ? kept : idempotencyWindow);
    }

    private static Duration nonNegative(String what, Duration value) {
        Objects.requireNonNull(value, what + " is required");
        if (value.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + value);
        }
        return value;
    }
}
