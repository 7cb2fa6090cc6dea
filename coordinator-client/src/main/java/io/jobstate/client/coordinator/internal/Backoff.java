package io.jobstate.client.coordinator.internal;

import io.jobstate.client.problem.TransientFailure;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pace of one operation's attempts: no wait before the first; before each later one, a delay
 * in the upper half of a step that doubles from the first step up to the maximum (random, so that
 * callers that failed together do not retry together), and never shorter than the
 * {@code Retry-After} of the failure just seen, itself capped by the same maximum.
 *
 * <p>One instance per operation, made by {@link GuardedCalls#newBackoff()} and handed to every
 * attempt of that operation (Fault Tolerance re-invokes the retried method with the same
 * arguments, which is how this state outlives an attempt). Not thread-safe: an operation's attempts
 * run one after another.
 */
public final class Backoff {

    private final long maxMillis;
    private long stepMillis;
    private boolean attempted;
    private long retryAfterMillis;

    Backoff(Duration firstStep, Duration max) {
        this.maxMillis = Math.max(1, max.toMillis());
        this.stepMillis = Math.clamp(firstStep.toMillis(), 1, maxMillis);
    }

    /** How long to wait before the attempt about to be made, in milliseconds: 0 before the first. */
    long beforeAttempt() {
        if (!attempted) {
            attempted = true;
            return 0;
        }
        long step = stepMillis;
        stepMillis = Math.min(maxMillis, step * 2);
        long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        long delay = Math.max(jittered, retryAfterMillis);
        retryAfterMillis = 0;
        return delay;
    }

    /** Takes note of a failed attempt: what it asked (Retry-After) holds for the next one only. */
    void failed(Throwable failure) {
        retryAfterMillis = failure instanceof TransientFailure transientFailure
                ? transientFailure.retryAfter().map(d -> Math.min(d.toMillis(), maxMillis)).orElse(0L)
                : 0;
    }
}
