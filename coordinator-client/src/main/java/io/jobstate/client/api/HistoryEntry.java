package io.jobstate.client.api;

import java.time.Instant;

/** One applied transition; {@code idempotencyKey} is the key the request carried, if any. */
public record HistoryEntry(long version, JobStatus from, JobStatus to, Instant at, int attempt,
                           String idempotencyKey) {
}
