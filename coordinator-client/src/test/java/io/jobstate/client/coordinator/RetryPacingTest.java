package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.client.fake.Exchange;
import io.jobstate.client.fake.Fault;
import io.jobstate.client.fake.Route;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How far apart the attempts of one operation are, measured where they arrive: the waits grow
 * exponentially from the first step, and a Retry-After is honoured up to the maximum delay. Only
 * lower bounds are asserted where the machine's load could stretch a gap.
 */
class RetryPacingTest extends ClientTest {

    @Override
    Map<String, String> configuration() {
        // steps large enough that the request's own latency cannot pass for growth
        return Map.of("jobstate.client.retry.delay", "PT0.1S", "jobstate.client.retry.max-delay", "PT1S");
    }

    @Test
    void withoutRetryAfterTheWaitsGrowExponentially() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 4, Fault.unavailable());

        coordinator().start(id);

        List<Duration> gaps = gaps(fake().exchanges(Route.TRANSITION));
        // steps of 100, 200, 400, 800 ms, each wait in the upper half of its step
        assertThat(gaps).hasSize(4);
        for (int retry = 0; retry < gaps.size(); retry++) {
            assertThat(gaps.get(retry)).as("gap before retry %d of %s", retry + 1, gaps)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(50L << retry));
        }
    }

    @Test
    void aRetryAfterBeyondTheMaximumDelayIsCappedByIt() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.Unavailable(Duration.ofSeconds(30)));

        coordinator().start(id);

        List<Duration> gaps = gaps(fake().exchanges(Route.TRANSITION));
        assertThat(gaps).hasSize(1);
        assertThat(gaps.getFirst()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    private static List<Duration> gaps(List<Exchange> attempts) {
        return java.util.stream.IntStream.range(1, attempts.size())
                .mapToObj(i -> Duration.ofNanos(attempts.get(i).receivedNanos() - attempts.get(i - 1).receivedNanos()))
                .toList();
    }
}
