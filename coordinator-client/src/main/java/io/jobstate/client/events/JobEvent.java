package io.jobstate.client.events;

import io.jobstate.client.api.JobStatus;
import java.time.Instant;
import java.util.UUID;

/** One applied transition: {@code seq} is its position in the service's feed, {@code version} the job's version it produced. */
public record JobEvent(long seq, UUID jobId, JobStatus from, JobStatus to, long version, Instant at) {
}
