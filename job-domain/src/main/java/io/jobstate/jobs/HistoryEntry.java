package io.jobstate.jobs;

import java.time.Instant;
import java.util.Objects;

/**
 * One applied transition as recorded: the version it produced, the statuses it joined, when, the
 * attempt after it, the idempotency key and request fingerprint it was applied with (both
 * {@code null} when the request carried no key), who made it when known ({@link #REAPER}, or the
 * caller's name), the cancellation reason it was given, and the job's state as the transition left
 * it ({@link #after()}, from which a replay rebuilds the original answer).
 */
public record HistoryEntry(
        long version,
        JobStatus from,
        JobStatus to,
        Instant at,
        int attempt,
        String idempotencyKey,
        String requestFingerprint,
        String actor,
        String reason,
        StateAfter after) {

    /** The actor of transitions the service makes by itself: expiring leases. */
    public static final String REAPER = "reaper";

    public HistoryEntry {
        Objects.requireNonNull(from, "from is required");
        Objects.requireNonNull(to, "to is required");
        Objects.requireNonNull(at, "at is required");
    }

    /** An entry without actor, reason or recorded state (as entries recorded before contract 1.0 are). */
    public HistoryEntry(long version, JobStatus from, JobStatus to, Instant at, int attempt, String idempotencyKey,
                        String requestFingerprint) {
        this(version, from, to, at, attempt, idempotencyKey, requestFingerprint, null, null, null);
    }

    /** The error the transition recorded (FAILED), or null. */
    public String error() {
        return after == null ? null : after.error();
    }

    /**
     * The fields of a job a transition sets, as it left them; together with the job's fixed fields
     * (id, type, payload, creation time) they are the job as that transition produced it. Absent
     * ({@code null}) for entries recorded before contract 1.0 stored them.
     */
    public record StateAfter(int progress, String result, String error, Instant startedAt, Instant finishedAt,
                             Lease lease) {

        /** The part of {@code job} a transition sets. */
        public static StateAfter of(Job job) {
            return new StateAfter(job.progress(), job.result(), job.error(), job.startedAt(), job.finishedAt(),
                    job.lease());
        }
    }
}
