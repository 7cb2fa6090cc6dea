package io.jobstate.client.problem;

import java.time.Duration;

/**
 * 503 because another change held the job longer than the server waits for its lock (the
 * pessimistic path under contention): worth retrying, and no sign of an outage, so the circuit
 * breaker does not count it.
 */
public final class ContentionException extends TransientFailure {

    private static final long serialVersionUID = 1L;

    public ContentionException(String detail, Duration retryAfter) {
        super(503, "Service Unavailable", detail, null, retryAfter);
    }
}
