package io.jobstate.client.problem;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header: delta-seconds or an HTTP date (RFC 9110, 10.2.3), at most a
 * day (a larger value is read as a day: no client waits longer, and it keeps durations in range).
 */
final class RetryAfter {

    private static final Duration LONGEST = Duration.ofDays(1);

    private RetryAfter() {
    }

    static Optional<Duration> parse(String header) {
        return parse(header, Clock.systemUTC());
    }

    static Optional<Duration> parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(Math.min(seconds, LONGEST.toSeconds())));
        } catch (NumberFormatException notSeconds) {
            if (value.chars().allMatch(Character::isDigit)) {
                return Optional.of(LONGEST);
            }
            try {
                Duration until = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(until.isNegative() ? Duration.ZERO : until.compareTo(LONGEST) > 0 ? LONGEST : until);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
