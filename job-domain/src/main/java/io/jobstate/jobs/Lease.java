package io.jobstate.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The right of one worker to finish one run of a RUNNING job: an opaque token and when it expires
 * (database clock). A new run gets a new token, so a worker from an earlier run can be told apart
 * and refused (fencing). {@code seconds} is the length it was granted (and is renewed) for.
 */
public record Lease(String token, Instant expiresAt, int seconds) {

    /** The length of a lease when neither the request nor the server's configuration names one. */
    public static final int DEFAULT_SECONDS = 30;
    public static final int MIN_SECONDS = 1;
    public static final int MAX_SECONDS = 86_400;
    public static final int MAX_TOKEN_LENGTH = 200;
    /** The name under which callers present a token (an HTTP header). */
    public static final String TOKEN_FIELD = "Lease-Token";

    public Lease {
        Objects.requireNonNull(token, "token is required");
        Objects.requireNonNull(expiresAt, "expiresAt is required");
    }

    /** A fresh lease from {@code now}; the token is random and unguessable. */
    public static Lease granted(int seconds, Instant now) {
        return new Lease(UUID.randomUUID().toString(), now.plus(Duration.ofSeconds(seconds)), seconds);
    }

    /**
     * The rule for a token a request presents: {@code required} for reports on a run (progress,
     * heartbeats), which are meaningless without one; never longer than any token this service makes.
     */
    public static void checkPresented(String presented, boolean required, List<Violation> violations) {
        if (presented == null || presented.isBlank()) {
            if (required) {
                violations.add(new Violation(TOKEN_FIELD, "is required"));
            }
        } else if (presented.length() > MAX_TOKEN_LENGTH) {
            violations.add(new Violation(TOKEN_FIELD, "must be at most " + MAX_TOKEN_LENGTH + " characters"));
        }
    }

    /** Whether {@code presented} (a Lease-Token header, maybe absent) is this lease's token. */
    public boolean heldBy(String presented) {
        return token.equals(presented);
    }

    public Lease renewedAt(Instant now) {
        return new Lease(token, now.plus(Duration.ofSeconds(seconds)), seconds);
    }
}
