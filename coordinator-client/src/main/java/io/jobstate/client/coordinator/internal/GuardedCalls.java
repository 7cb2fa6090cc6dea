package io.jobstate.client.coordinator.internal;

import io.jobstate.client.problem.TransientFailure;
import io.jobstate.client.tracing.ClientTraces;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The one retry policy every call to jobstate goes through, on any MicroProfile Fault Tolerance
 * implementation. Only failures that say nothing about the request are retried
 * ({@link TransientFailure}, a timed-out attempt, an open circuit); the caller's request must be
 * safe to repeat, which an Idempotency-Key (or a read) makes it. Each attempt runs through
 * {@link Attempts} (timeout, circuit breaker). An open circuit is retried too: the breaker spares
 * the service (those attempts never leave this process), while the backoff lets the operation
 * outlive a short outage within {@code maxDuration}.
 *
 * <p>Backoff: {@code @Retry} only counts attempts and bounds the operation's duration; its own
 * delay and jitter are 0. The wait comes from the operation's {@link Backoff}, slept here before
 * each re-attempt: exponential with jitter from {@code jobstate.client.retry.delay} up to
 * {@code jobstate.client.retry.max-delay}, never shorter than the server's Retry-After. The
 * standard annotations cannot express that (a fixed delay and jitter only), and an implementation's
 * own extension (SmallRye's {@code @CustomBackoff}) is inert elsewhere, e.g. on Open Liberty.
 * {@code maxRetries} and {@code maxDuration} (ms) are defaults to override through MicroProfile
 * Fault Tolerance's keys, e.g. {@code io.jobstate.client.coordinator.internal.GuardedCalls/call/Retry/maxRetries=8};
 * {@code maxDuration} is checked by the runtime before a re-attempt, and the wait that follows may
 * exceed it by up to one backoff step. Thread-safe.
 */
@ApplicationScoped
public class GuardedCalls {

    private static final Logger LOG = Logger.getLogger(GuardedCalls.class.getName());

    @Inject
    Attempts attempts;

    @Inject
    @ConfigProperty(name = "jobstate.client.retry.delay", defaultValue = "PT0.2S")
    Duration firstStep;

    @Inject
    @ConfigProperty(name = "jobstate.client.retry.max-delay", defaultValue = "PT10S")
    Duration maxDelay;

    @PostConstruct
    void warnAboutMovedKeys() {
        MovedKeys.warnAbout(ConfigProvider.getConfig(GuardedCalls.class.getClassLoader()));
    }

    /** The backoff of one new operation: pass it to every {@link #call} of that operation, and to no other. */
    public Backoff newBackoff() {
        return new Backoff(firstStep, maxDelay);
    }

    /** Runs {@code request} until it succeeds, fails for a reason no retry mends, or the retries run out. */
    @Retry(maxRetries = 5, delay = 0, jitter = 0, maxDuration = 30_000,
            retryOn = {TransientFailure.class, TimeoutException.class, CircuitBreakerOpenException.class})
    public <T> T call(Backoff backoff, Supplier<T> request) {
        pause(backoff.beforeAttempt());
        try {
            return ClientTraces.span(ClientTraces.ATTEMPT, () -> attempts.attempt(request));
        } catch (RuntimeException failure) {
            // FINE: an application sees the failure that ends the operation; this says what each attempt met
            LOG.log(Level.FINE, failure, () -> "an attempt of a call to jobstate failed: " + failure);
            backoff.failed(failure);
            throw failure;
        }
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the caller's thread is being stopped: end the operation, with an exception @Retry does not retry
            CancellationException cancelled = new CancellationException("interrupted while waiting to retry a call to jobstate");
            cancelled.initCause(e);
            throw cancelled;
        }
    }
}
