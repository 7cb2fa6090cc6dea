package io.jobstate.client.problem;

import java.time.Duration;

/**
 * 503 because the service's database is unavailable, or 502/504 from a proxy in front of the
 * service: an outage, which the client's circuit breaker counts.
 */
public final class UnavailableException extends TransientFailure {

    private static final long serialVersionUID = 1L;

    public UnavailableException(int status, String title, String detail, Duration retryAfter) {
        super(status, title, detail, null, retryAfter);
    }
}
