package io.jobstate.client.problem;

import java.time.Duration;
import java.util.Optional;

/**
 * 503 (database unreachable, lock wait timed out), or 502/504 from a proxy in front of the
 * service; {@link #retryAfter()} is the server's {@code Retry-After}, if it sent one.
 */
public final class UnavailableException extends TransientFailure {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public UnavailableException(int status, String title, String detail, Duration retryAfter) {
        super(status, title, detail, null);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
