package io.jobstate.rest.jobs;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.rest.problem.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * The answers about one job, made one way for every resource: the job with its ETag, a replay
 * (marked {@value #REPLAYED}), and the 409 that explains why the job as it is now refuses a request.
 * Thread-safe (stateless).
 */
final class JobResponses {

    /** Header of an answer that repeats what an earlier request with the same Idempotency-Key produced. */
    static final String REPLAYED = "Idempotent-Replayed";

    private JobResponses() {
    }

    static Response ok(Job job) {
        return Response.ok(JobJson.of(job), MediaType.APPLICATION_JSON_TYPE).header("ETag", EntityTags.of(job.version())).build();
    }

    static Response created(Job job, URI location) {
        return Response.created(location).entity(JobJson.of(job)).type(MediaType.APPLICATION_JSON_TYPE)
                .header("ETag", EntityTags.of(job.version())).build();
    }

    /** The answer the original request got (the job as it left it), marked as a replay: nothing was written now. */
    static Response replayed(Response original) {
        return Response.fromResponse(original).header(REPLAYED, "true").build();
    }

    static Response notModified(Job job) {
        return Response.notModified().header("ETag", EntityTags.of(job.version())).build();
    }

    /** 409 for a request the job as it is now does not accept; {@code requested} is null for reports (progress, heartbeat). */
    static Response conflict(Job current, ConflictReason reason, JobStatus requested) {
        Problem problem = Problem.conflict(current, reason, detail(current, reason, requested));
        if (requested != null) {
            problem.with("requestedStatus", requested.name());
        }
        return problem.toResponse();
    }

    private static String detail(Job current, ConflictReason reason, JobStatus requested) {
        return switch (reason) {
            case ILLEGAL_TRANSITION -> "The job cannot move from " + current.status() + " to " + requested + ".";
            case STALE_STATUS -> "The job is no longer in the expected status.";
            case STALE_VERSION -> "The job is no longer at the expected version.";
            case IDEMPOTENCY_KEY_REUSED -> "The Idempotency-Key was already used for a different request.";
            case LEASE_MISMATCH -> "This needs the current run's Lease-Token; the request carried another"
                    + " (the lease was taken away, or the job runs again).";
            case NOT_RUNNING -> "The job is not RUNNING: it has no run to report on.";
            case BACKWARDS -> "Progress never moves backwards.";
        };
    }
}
