package io.jobstate.client.problem;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that says nothing about the request itself: the service or the way to it was
 * unavailable. Repeating the same request (with the same Idempotency-Key) is safe and may succeed.
 */
public abstract class TransientFailure extends JobstateException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    protected TransientFailure(int status, String title, String detail, Throwable cause, Duration retryAfter) {
        super(status, title, detail, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked to wait before the next attempt ({@code Retry-After}), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
