package io.jobstate.client.coordinator.internal;

import io.jobstate.client.problem.TransientFailure;
import io.jobstate.client.problem.UnavailableException;
import io.jobstate.client.problem.UnreachableException;
import io.smallrye.faulttolerance.api.CustomBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The one Fault Tolerance policy every call to jobstate goes through. Only failures that say
 * nothing about the request are retried ({@link TransientFailure}, {@link TimeoutException});
 * the caller's request must be safe to repeat, which an Idempotency-Key (or a read) makes it.
 * The circuit breaker counts outages only (no answer, 502/503/504 for a database outage,
 * timeouts), not a busy job ({@link io.jobstate.client.problem.ContentionException}) nor any 4xx.
 * An open circuit is retried too: the breaker spares the service (those attempts never leave
 * this process), while the backoff lets the operation outlive a short outage within
 * {@code maxDuration}.
 * {@code @Timeout} fails an attempt that took too long and discards a late answer, but cannot
 * end a blocking socket read early: the REST client's {@code readTimeout} bounds that, which is
 * why its default (8 s) lies below the timeout's. Every duration is in milliseconds; all values are defaults to override per deployment
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
            retryOn = {TransientFailure.class, TimeoutException.class, CircuitBreakerOpenException.class})
    @CustomBackoff(RetryAfterBackoff.class)
    @Timeout(10_000)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5_000, successThreshold = 2,
            failOn = {UnavailableException.class, UnreachableException.class, TimeoutException.class})
    public <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (ProcessingException e) {
            throw isNetworkFailure(e) ? new UnreachableException(e) : e;
        }
    }

    /**
     * A refused, reset, cut-off or timed-out connection. A host name that does not resolve or a
     * TLS handshake that fails is configuration, which no retry mends.
     */
    private static boolean isNetworkFailure(ProcessingException failure) {
        Throwable cause = failure;
        while (cause instanceof ProcessingException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        // what the client's own code failed with (a filter, a reader) is not the network's doing
        return cause instanceof IOException && !(cause instanceof UnknownHostException || cause instanceof SSLException);
    }
}
