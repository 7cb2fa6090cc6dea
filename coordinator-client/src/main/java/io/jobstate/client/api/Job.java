package io.jobstate.client.api;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.UUID;

/**
 * A job as the service represents it; {@code version} rises by one with every applied transition.
 * {@code payload} (what it was created with) and {@code result} are null when the job has none (never
 * {@link JsonValue#NULL}). A RUNNING job has a lease:
 * {@code leaseToken} (send it as {@code Lease-Token} to complete, fail, heartbeat or report progress)
 * and {@code leaseExpiresAt} (the service's clock); both null otherwise.
 */
public record Job(UUID id, String type, JobStatus status, long version, int attempt, int progress,
                  JsonValue payload, JsonValue result, String error, Instant createdAt, Instant updatedAt, Instant startedAt,
                  Instant finishedAt, String leaseToken, Instant leaseExpiresAt) {

    public Job {
        payload = JsonValue.NULL.equals(payload) ? null : payload;
        result = JsonValue.NULL.equals(result) ? null : result;
    }
}
