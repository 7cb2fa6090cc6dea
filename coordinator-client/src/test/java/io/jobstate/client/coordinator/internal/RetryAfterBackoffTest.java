package io.jobstate.client.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.client.problem.UnavailableException;
import io.jobstate.client.problem.UnreachableException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;

class RetryAfterBackoffTest {

    private static final Throwable NO_ANSWER = new UnreachableException(new IOException("reset"));

    @RepeatedTest(20)
    void eachDelayLiesInTheUpperHalfOfAStepThatDoublesUpToTheMaximum() {
        RetryAfterBackoff backoff = new RetryAfterBackoff(Duration.ofMillis(1000));
        backoff.init(100);

        assertThat(backoff.nextDelayInMillis(NO_ANSWER)).isBetween(50L, 100L);
        assertThat(backoff.nextDelayInMillis(NO_ANSWER)).isBetween(100L, 200L);
        assertThat(backoff.nextDelayInMillis(NO_ANSWER)).isBetween(200L, 400L);
        assertThat(backoff.nextDelayInMillis(NO_ANSWER)).isBetween(400L, 800L);
        assertThat(backoff.nextDelayInMillis(NO_ANSWER)).isBetween(500L, 1000L);
        assertThat(backoff.nextDelayInMillis(NO_ANSWER)).isBetween(500L, 1000L);
    }

    @RepeatedTest(20)
    void neverWaitsLessThanRetryAfterUpToTheMaximum() {
        RetryAfterBackoff backoff = new RetryAfterBackoff(Duration.ofSeconds(5));
        backoff.init(10);

        assertThat(backoff.nextDelayInMillis(unavailable(Duration.ofSeconds(2)))).isEqualTo(2000);
        assertThat(backoff.nextDelayInMillis(unavailable(Duration.ofMinutes(10)))).isEqualTo(5000);
        assertThat(backoff.nextDelayInMillis(unavailable(null))).isBetween(20L, 40L);
    }

    private static UnavailableException unavailable(Duration retryAfter) {
        return new UnavailableException(503, "Service Unavailable", null, retryAfter);
    }
}
