package io.jobstate.jobs.events;

import io.jobstate.jobs.JobStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** One applied transition as published: {@code seq} is its position in the feed, {@code at} the database time of the write. */
public record JobEvent(long seq, UUID jobId, JobStatus from, JobStatus to, long version, Instant at) {

    public JobEvent {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
    }
}
