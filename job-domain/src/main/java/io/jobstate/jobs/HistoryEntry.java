package io.jobstate.jobs;

import java.time.Instant;
import java.util.Objects;

/**
 * One applied transition as recorded: the version it produced, the statuses it joined, when, the
 * attempt after it, and the idempotency key and request fingerprint it was applied with (both
 * {@code null} when the request carried no key).
 */
public record HistoryEntry(
        long version,
        JobStatus from,
        JobStatus to,
        Instant at,
        int attempt,
        String idempotencyKey,
        String requestFingerprint) {

    public HistoryEntry {
        Objects.requireNonNull(from, "from is required");
        Objects.requireNonNull(to, "to is required");
        Objects.requireNonNull(at, "at is required");
    }
}
