package io.jobstate.jobs.listing;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The position after the last job of a page, in list order (createdAt descending, then id
 * descending). Clients see it only as an opaque base64url token.
 */
public record JobCursor(Instant createdAt, UUID id) {

    /** Years a stored timestamp can have; a token outside them was not made by {@link #encode()}. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    public JobCursor {
        Objects.requireNonNull(createdAt, "createdAt is required");
        Objects.requireNonNull(id, "id is required");
    }

    public String encode() {
        String plain = createdAt + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a token stands for, or empty if the token was not made by {@link #encode()}. */
    public static Optional<JobCursor> decode(String token) {
        if (token == null) {
            return Optional.empty();
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int bar = plain.indexOf('|');
            if (bar < 0) {
                return Optional.empty();
            }
            Instant createdAt = Instant.parse(plain.substring(0, bar));
            if (createdAt.isBefore(EARLIEST) || createdAt.isAfter(LATEST)) {
                return Optional.empty();
            }
            return Optional.of(new JobCursor(createdAt, UUID.fromString(plain.substring(bar + 1))));
        } catch (IllegalArgumentException | DateTimeException e) {
            return Optional.empty();
        }
    }
}
