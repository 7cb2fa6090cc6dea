package io.jobstate.client.events;

import io.jobstate.client.api.JobStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * One applied transition: {@code seq} is its position in the service's feed, {@code version} the
 * job's version it produced, {@code traceId} the W3C trace id of the request that caused it
 * ({@code null} when the service saw none: docs/api.md, "Event feed and streams").
 */
public record JobEvent(long seq, UUID jobId, JobStatus from, JobStatus to, long version, Instant at, String traceId) {

    /** An event without a trace id. */
    public JobEvent(long seq, UUID jobId, JobStatus from, JobStatus to, long version, Instant at) {
        this(seq, jobId, from, to, version, at, null);
    }
}
