package io.jobstate.jobs.events;

import io.jobstate.jobs.JobStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One applied transition as published: {@code seq} is its position in the feed, {@code at} the
 * database time of the write, {@code traceId} the W3C trace id (32 lower-case hex digits) of the
 * request that caused it, or {@code null} when it came in no trace (tracing off, the lease reaper).
 */
public record JobEvent(long seq, UUID jobId, JobStatus from, JobStatus to, long version, Instant at, String traceId) {

    /** An event caused outside any trace. */
    public JobEvent(long seq, UUID jobId, JobStatus from, JobStatus to, long version, Instant at) {
        this(seq, jobId, from, to, version, at, null);
    }

    public JobEvent {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
    }
}
