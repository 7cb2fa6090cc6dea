package io.jobstate.jobs;

import java.time.Instant;
import java.util.Objects;

/**
 * One applied transition as recorded: the version it produced, the statuses it joined, when, the
 * attempt after it, and the idempotency key and request fingerprint it was applied with (both
 * {@code null} when the request carried no key), and who made it when known ({@link #REAPER}, or
 * the caller's name).
 */
public record HistoryEntry(
        long version,
        JobStatus from,
        JobStatus to,
        Instant at,
        int attempt,
        String idempotencyKey,
        String requestFingerprint,
        String actor) {

    /** The actor of transitions the service makes by itself: expiring leases. */
    public static final String REAPER = "reaper";

    public HistoryEntry {
        Objects.requireNonNull(from, "from is required");
        Objects.requireNonNull(to, "to is required");
        Objects.requireNonNull(at, "at is required");
    }

    /** An entry without a recorded actor. */
    public HistoryEntry(long version, JobStatus from, JobStatus to, Instant at, int attempt, String idempotencyKey,
                        String requestFingerprint) {
        this(version, from, to, at, attempt, idempotencyKey, requestFingerprint, null);
    }
}
