package io.jobstate.client.api;

import jakarta.json.JsonObject;
import java.util.Objects;

/**
 * The body of a transition. Absent members are left out of the JSON: {@code expectedStatus} and
 * {@code expectedVersion} state what the caller based the request on, {@code result} goes with
 * COMPLETED, {@code error} with FAILED and {@code reason} with CANCELLED, {@code leaseSeconds} (the
 * lease length asked for) with RUNNING.
 */
public record TransitionRequest(JobStatus to, JobStatus expectedStatus, Long expectedVersion, JsonObject result,
                                String error, String reason, Integer leaseSeconds) {

    public TransitionRequest {
        Objects.requireNonNull(to, "to is required");
    }

    public static TransitionRequest to(JobStatus target) {
        return new TransitionRequest(target, null, null, null, null, null, null);
    }

    public TransitionRequest expecting(JobStatus status, long version) {
        return new TransitionRequest(to, status, version, result, error, reason, leaseSeconds);
    }

    public TransitionRequest withResult(JsonObject value) {
        return new TransitionRequest(to, expectedStatus, expectedVersion, value, error, reason, leaseSeconds);
    }

    public TransitionRequest withError(String value) {
        return new TransitionRequest(to, expectedStatus, expectedVersion, result, value, reason, leaseSeconds);
    }

    public TransitionRequest withReason(String value) {
        return new TransitionRequest(to, expectedStatus, expectedVersion, result, error, value, leaseSeconds);
    }

    public TransitionRequest withLeaseSeconds(Integer seconds) {
        return new TransitionRequest(to, expectedStatus, expectedVersion, result, error, reason, seconds);
    }
}
