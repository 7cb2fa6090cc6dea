package io.jobstate.jobs;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An immutable snapshot of one job as stored. {@code version} counts the applied transitions;
 * {@code attempt} starts at 1 and grows with each retry. {@code payload} and {@code result} are
 * JSON texts, {@code null} when absent. {@code lease} is present while RUNNING (the
 * database guarantees it for stored jobs).
 */
public record Job(
        UUID id,
        String type,
        JobStatus status,
        long version,
        int attempt,
        int progress,
        String payload,
        String result,
        String error,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        Lease lease) {

    public static final int FIRST_ATTEMPT = 1;
    public static final int MIN_PROGRESS = 0;
    public static final int MAX_PROGRESS = 100;

    public Job {
        Objects.requireNonNull(id, "id is required");
        Objects.requireNonNull(type, "type is required");
        Objects.requireNonNull(status, "status is required");
        Objects.requireNonNull(createdAt, "createdAt is required");
        Objects.requireNonNull(updatedAt, "updatedAt is required");
    }

    /** A job without a lease (every status but RUNNING). */
    public Job(UUID id, String type, JobStatus status, long version, int attempt, int progress, String payload,
               String result, String error, Instant createdAt, Instant updatedAt, Instant startedAt,
               Instant finishedAt) {
        this(id, type, status, version, attempt, progress, payload, result, error, createdAt, updatedAt, startedAt,
                finishedAt, null);
    }

    /** A job as creation makes it: PENDING, version 0, first attempt, no progress. */
    public static Job created(UUID id, String type, String payload, Instant now) {
        return new Job(id, type, JobStatus.PENDING, 0, FIRST_ATTEMPT, MIN_PROGRESS, payload,
                null, null, now, now, null, null);
    }

    /**
     * The job after entering {@code to}: what each status does to the other fields. The caller has
     * checked that the transition is legal. The compare-and-set SQL applies the same effects and
     * the persistence contract tests hold both to this method.
     */
    public Job transitionedTo(JobStatus to, String newResult, String newError, Instant now) {
        return transitionedTo(to, newResult, newError, Lease.DEFAULT_SECONDS, now);
    }

    /** As {@link #transitionedTo(JobStatus, String, String, Instant)}; entering RUNNING grants a lease of {@code leaseSeconds}. */
    public Job transitionedTo(JobStatus to, String newResult, String newError, int leaseSeconds, Instant now) {
        return switch (to) {
            case QUEUED -> new Job(id, type, to, version + 1,
                    JobStatus.isRetry(status, to) ? attempt + 1 : attempt,
                    MIN_PROGRESS, payload, null, null, createdAt, now, null, null);
            case RUNNING -> new Job(id, type, to, version + 1, attempt, MIN_PROGRESS, payload,
                    null, null, createdAt, now, now, null, Lease.granted(leaseSeconds, now));
            case COMPLETED -> finished(to, MAX_PROGRESS, newResult, null, now);
            case FAILED -> finished(to, progress, null, newError, now);
            case CANCELLED -> finished(to, progress, null, null, now);
            case PENDING -> throw new IllegalArgumentException("nothing enters PENDING except creation");
        };
    }

    private Job finished(JobStatus to, int finalProgress, String newResult, String newError, Instant now) {
        return new Job(id, type, to, version + 1, attempt, finalProgress, payload, newResult, newError,
                createdAt, now, startedAt, now);
    }

    /**
     * The job as the transition recorded in {@code entry} left it: its version, status, attempt and
     * the state it set (progress, result, error, times, the lease it granted). Entries recorded
     * before contract 1.0 carry no state: then the job as it is now, without its lease unless it is
     * still at that entry's version (a later run's token must not reach an earlier requester).
     */
    public Job asLeftBy(HistoryEntry entry) {
        if (entry.version() > version || entry.version() < 1) {
            throw new IllegalArgumentException("entry " + entry.version() + " is not part of job " + id + " at version " + version);
        }
        HistoryEntry.StateAfter after = entry.after();
        if (after == null) {
            return entry.version() == version ? this : new Job(id, type, status, version, attempt, progress, payload,
                    result, error, createdAt, updatedAt, startedAt, finishedAt, null);
        }
        return new Job(id, type, entry.to(), entry.version(), entry.attempt(), after.progress(), payload,
                after.result(), after.error(), createdAt, entry.at(), after.startedAt(), after.finishedAt(),
                after.lease());
    }

    /** The job as its creation left it: PENDING at version 0, whatever happened to it since. */
    public Job asCreated() {
        return created(id, type, payload, createdAt);
    }

    /** The job with new progress; the caller has checked that it is RUNNING and not moving backwards. */
    public Job withProgress(int newProgress, Instant now) {
        return new Job(id, type, status, version, attempt, newProgress, payload, result, error,
                createdAt, now, startedAt, finishedAt, lease == null ? null : lease.renewedAt(now));
    }

    /** The job with its lease renewed (a heartbeat); the caller has checked that it is RUNNING and the token. */
    public Job withLeaseRenewed(Instant now) {
        return new Job(id, type, status, version, attempt, progress, payload, result, error,
                createdAt, now, startedAt, finishedAt, lease == null ? null : lease.renewedAt(now));
    }
}
