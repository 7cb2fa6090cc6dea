package io.jobstate.rest.problem;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.Violation;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem response under construction: status, title, detail and the extension
 * members the contract lists for each status. Not thread-safe; build one per response.
 */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String RETRY_AFTER_SECONDS = "1";

    private final JsonObjectBuilder body = Json.createObjectBuilder();
    private final Response.ResponseBuilder response;

    private Problem(int status, String title, String detail) {
        body.add("type", "about:blank").add("title", title).add("status", status);
        if (detail != null) {
            body.add("detail", detail);
        }
        this.response = Response.status(status);
    }

    public static Problem of(Response.Status status, String detail) {
        return new Problem(status.getStatusCode(), status.getReasonPhrase(), detail);
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem(status, title, detail);
    }

    public static Problem badRequest(List<Violation> violations) {
        Problem problem = of(Response.Status.BAD_REQUEST, "The request is invalid.");
        JsonArrayBuilder errors = Json.createArrayBuilder();
        violations.forEach(v -> errors.add(Json.createObjectBuilder().add("field", v.field()).add("message", v.message())));
        problem.body.add("errors", errors);
        return problem;
    }

    /**
     * 503 with Retry-After: the store cannot serve this now, and retrying soon is right.
     * {@code unavailableReason} tells an outage ({@code DATABASE}) from one busy job
     * ({@code LOCK_WAIT}), so clients need not treat contention as an outage.
     */
    public static Problem unavailable(String reason, String detail) {
        Problem problem = of(Response.Status.SERVICE_UNAVAILABLE, detail).header("Retry-After", RETRY_AFTER_SECONDS);
        problem.body.add("unavailableReason", reason);
        return problem;
    }

    public static Problem notFound(String jobId) {
        Problem problem = of(Response.Status.NOT_FOUND, "No job has this id.");
        problem.body.add("jobId", jobId);
        return problem;
    }

    /** A problem about a job as it is now: its id, status and version, and the job's ETag. */
    public Problem withCurrent(Job current) {
        body.add("jobId", current.id().toString())
                .add("currentStatus", current.status().name())
                .add("currentVersion", current.version());
        response.tag(new EntityTag(Long.toString(current.version())));
        return this;
    }

    public Problem with(String member, String value) {
        body.add(member, value);
        return this;
    }

    public Problem with(String member, long value) {
        body.add(member, value);
        return this;
    }

    public Problem header(String name, Object value) {
        response.header(name, value);
        return this;
    }

    public Response toResponse() {
        return response.type(MEDIA_TYPE).entity(body.build()).build();
    }


    /** Carries a problem out of code that cannot return a response (parsing, filters). */
    public static final class Raised extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Problem problem;

        public Raised(Problem problem) {
            super(null, null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }
}
