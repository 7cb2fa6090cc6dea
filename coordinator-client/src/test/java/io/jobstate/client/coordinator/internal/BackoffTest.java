package io.jobstate.client.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.client.problem.ContentionException;
import io.jobstate.client.problem.UnavailableException;
import io.jobstate.client.problem.UnreachableException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Throwable NO_ANSWER = new UnreachableException(new IOException("reset"));

    @Test
    void theFirstAttemptIsNotDelayed() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

        assertThat(backoff.beforeAttempt()).isZero();
    }

    @RepeatedTest(20)
    void eachDelayLiesInTheUpperHalfOfAStepThatDoublesUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        backoff.beforeAttempt();

        assertThat(afterFailure(backoff, NO_ANSWER)).isBetween(50L, 100L);
        assertThat(afterFailure(backoff, NO_ANSWER)).isBetween(100L, 200L);
        assertThat(afterFailure(backoff, NO_ANSWER)).isBetween(200L, 400L);
        assertThat(afterFailure(backoff, NO_ANSWER)).isBetween(400L, 800L);
        assertThat(afterFailure(backoff, NO_ANSWER)).isBetween(500L, 1000L);
        assertThat(afterFailure(backoff, NO_ANSWER)).isBetween(500L, 1000L);
    }

    @RepeatedTest(20)
    void neverWaitsLessThanTheLastRetryAfterUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(5));
        backoff.beforeAttempt();

        assertThat(afterFailure(backoff, unavailable(Duration.ofSeconds(2)))).isEqualTo(2000);
        assertThat(afterFailure(backoff, unavailable(Duration.ofMinutes(10)))).isEqualTo(5000);
        assertThat(afterFailure(backoff, new ContentionException("busy", Duration.ofMillis(700)))).isEqualTo(700);
        // a Retry-After holds for the attempt after it only
        assertThat(afterFailure(backoff, unavailable(null))).isBetween(40L, 80L);
    }

    @Test
    void aFirstStepAboveTheMaximumIsTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(30), Duration.ofMillis(200));
        backoff.beforeAttempt();

        assertThat(afterFailure(backoff, NO_ANSWER)).isBetween(100L, 200L);
    }

    private static long afterFailure(Backoff backoff, Throwable failure) {
        backoff.failed(failure);
        return backoff.beforeAttempt();
    }

    private static UnavailableException unavailable(Duration retryAfter) {
        return new UnavailableException(503, "Service Unavailable", null, retryAfter);
    }
}
