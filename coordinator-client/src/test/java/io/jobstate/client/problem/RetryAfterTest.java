package io.jobstate.client.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsDeltaSeconds() {
        assertThat(RetryAfter.parse(" 3 ", clock)).contains(Duration.ofSeconds(3));
    }

    @Test
    void readsAnHttpDateAsTheTimeUntilThen() {
        assertThat(RetryAfter.parse("Thu, 26 Nov 2026 10:00:05 GMT", clock)).contains(Duration.ofSeconds(5));
        assertThat(RetryAfter.parse("Thu, 26 Nov 2026 09:00:00 GMT", clock)).contains(Duration.ZERO);
    }

    @Test
    void readsAtMostADay() {
        assertThat(RetryAfter.parse("99999999999999999999999", clock)).contains(Duration.ofDays(1));
        assertThat(RetryAfter.parse("9223372036854775807", clock)).contains(Duration.ofDays(1));
        assertThat(RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", clock)).contains(Duration.ofDays(1));
    }

    @Test
    void ignoresWhatItCannotRead() {
        assertThat(RetryAfter.parse(null, clock)).isEmpty();
        assertThat(RetryAfter.parse("soon", clock)).isEmpty();
        assertThat(RetryAfter.parse("-1", clock)).isEmpty();
    }
}
