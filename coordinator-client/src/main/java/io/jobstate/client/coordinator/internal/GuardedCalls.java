package io.jobstate.client.coordinator.internal;

import io.jobstate.client.problem.TransientFailure;
import io.jobstate.client.problem.UnreachableException;
import io.smallrye.faulttolerance.api.CustomBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The one Fault Tolerance policy every call to jobstate goes through. Only failures that say
 * nothing about the request are retried ({@link TransientFailure}, {@link TimeoutException});
 * the caller's request must be safe to repeat, which an Idempotency-Key (or a read) makes it.
 * Every duration is in milliseconds; all values are defaults to override per deployment
 * through MicroProfile Fault Tolerance's keys, e.g.
 * {@code io.jobstate.client.coordinator.internal.GuardedCalls/call/Retry/maxRetries=8}.
 *
 * <p>Backoff: on SmallRye Fault Tolerance runtimes (Quarkus, WildFly, …) {@link RetryAfterBackoff}
 * makes the delay grow exponentially with jitter and never shorter than the server's
 * Retry-After; elsewhere {@code @CustomBackoff} is inert and {@code delay}/{@code jitter} apply.
 */
@ApplicationScoped
public class GuardedCalls {

    @Retry(maxRetries = 5, delay = 200, jitter = 100, maxDuration = 30_000,
            retryOn = {TransientFailure.class, TimeoutException.class})
    @CustomBackoff(RetryAfterBackoff.class)
    @Timeout(10_000)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5_000, successThreshold = 2,
            failOn = {TransientFailure.class, TimeoutException.class})
    public <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (ProcessingException e) {
            throw causedByIo(e) ? new UnreachableException(e) : e;
        }
    }

    private static boolean causedByIo(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
