package io.jobstate.client.coordinator.internal;

import io.jobstate.client.problem.UnavailableException;
import io.jobstate.client.problem.UnreachableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * One attempt of a call to jobstate, bounded and counted. {@code @Timeout} fails an attempt that
 * took too long and discards a late answer, but cannot end a blocking socket read early: the REST
 * client's {@code readTimeout} bounds that, which is why its default (8 s) lies below the
 * timeout's. The circuit breaker counts outages only (no answer, 502/503/504 for a database outage,
 * timeouts), not a busy job ({@link io.jobstate.client.problem.ContentionException}) nor any 4xx;
 * while it is open, attempts fail at once without leaving this process.
 *
 * <p>Apart from {@link GuardedCalls} (the retries) so that the wait before a retry is neither
 * counted in an attempt's time nor spent inside the breaker. Values are defaults, in milliseconds,
 * to override through MicroProfile Fault Tolerance's keys, e.g.
 * {@code io.jobstate.client.coordinator.internal.Attempts/attempt/Timeout/value=5000}. Stateless
 * apart from the breaker, which the Fault Tolerance runtime keeps; thread-safe.
 */
@ApplicationScoped
public class Attempts {

    @Timeout(10_000)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5_000, successThreshold = 2,
            failOn = {UnavailableException.class, UnreachableException.class, TimeoutException.class})
    public <T> T attempt(Supplier<T> request) {
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
