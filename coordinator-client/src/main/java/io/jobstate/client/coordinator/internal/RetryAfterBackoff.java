package io.jobstate.client.coordinator.internal;

import io.jobstate.client.problem.TransientFailure;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Delays between attempts of one call: the step doubles from {@code @Retry(delay)} up to
 * {@code jobstate.client.retry.max-delay} (default PT10S); each delay is a random point in the
 * upper half of its step (so callers that failed together do not retry together), and never
 * shorter than the Retry-After of a 503, itself capped by the same maximum. One instance per
 * call, used by one thread.
 */
public final class RetryAfterBackoff implements CustomBackoffStrategy {

    static final String MAX_DELAY = "jobstate.client.retry.max-delay";

    private final long maxMillis;
    private long stepMillis;

    public RetryAfterBackoff() {
        this(ConfigProvider.getConfig(RetryAfterBackoff.class.getClassLoader()).getOptionalValue(MAX_DELAY, Duration.class)
                .orElse(Duration.ofSeconds(10)));
    }

    RetryAfterBackoff(Duration max) {
        this.maxMillis = Math.max(1, max.toMillis());
    }

    @Override
    public void init(long initialDelayInMillis) {
        stepMillis = Math.clamp(initialDelayInMillis, 1, maxMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        long step = stepMillis;
        stepMillis = Math.min(maxMillis, step * 2);
        long delay = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        return Math.max(delay, retryAfterMillis(cause));
    }

    private long retryAfterMillis(Throwable cause) {
        if (cause instanceof TransientFailure transientFailure) {
            return transientFailure.retryAfter().map(d -> Math.min(d.toMillis(), maxMillis)).orElse(0L);
        }
        return 0;
    }
}
