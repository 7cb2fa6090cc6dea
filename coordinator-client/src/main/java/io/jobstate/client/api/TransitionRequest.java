package io.jobstate.client.api;

import jakarta.json.JsonObject;
import java.util.Objects;

/**
 * The body of a transition. Absent members are left out of the JSON: {@code expectedStatus} and
 * {@code expectedVersion} state what the caller based the request on, {@code result} goes with
 * COMPLETED, {@code error} with FAILED and {@code reason} with CANCELLED.
 */
public record TransitionRequest(JobStatus to, JobStatus expectedStatus, Long expectedVersion, JsonObject result,
                                String error, String reason) {

    public TransitionRequest {
        Objects.requireNonNull(to, "to is required");
    }

    public static TransitionRequest to(JobStatus target) {
        return new TransitionRequest(target, null, null, null, null, null);
    }

    public TransitionRequest expecting(JobStatus status, long version) {
        return new TransitionRequest(to, status, version, result, error, reason);
    }

    public TransitionRequest withResult(JsonObject value) {
        return new TransitionRequest(to, expectedStatus, expectedVersion, value, error, reason);
    }

    public TransitionRequest withError(String value) {
        return new TransitionRequest(to, expectedStatus, expectedVersion, result, value, reason);
    }

    public TransitionRequest withReason(String value) {
        return new TransitionRequest(to, expectedStatus, expectedVersion, result, error, value);
    }
}
