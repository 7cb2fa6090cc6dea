package io.jobstate.client.coordinator;

import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.TransitionRequest;
import java.util.Objects;
import java.util.UUID;

/**
 * One logical status change: the job, the request, and the Idempotency-Key every attempt of it
 * carries. Give your own key (for example derived from your work item) to make the operation
 * safe across coordinator restarts too; otherwise a random key covers the retries of one call.
 *
 * <p>{@code leaseToken} (may be null) is the run's lease token to present; when null, the
 * coordinator presents the token of the run it started itself, if any.
 */
public record Operation(UUID jobId, TransitionRequest request, String idempotencyKey, String leaseToken) {

    public Operation(UUID jobId, TransitionRequest request, String idempotencyKey) {
        this(jobId, request, idempotencyKey, null);
    }

    public Operation {
        Objects.requireNonNull(jobId, "jobId is required");
        Objects.requireNonNull(request, "request is required");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey is required");
    }

    public static Operation of(UUID jobId, TransitionRequest request) {
        return new Operation(jobId, request, UUID.randomUUID().toString());
    }

    public Operation withKey(String key) {
        return new Operation(jobId, request, key, leaseToken);
    }

    public Operation withLeaseToken(String token) {
        return new Operation(jobId, request, idempotencyKey, token);
    }

    Operation rebasedOn(JobStatus status, long version) {
        return new Operation(jobId, request.expecting(status, version), idempotencyKey, leaseToken);
    }
}
