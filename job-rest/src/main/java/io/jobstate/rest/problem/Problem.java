package io.jobstate.rest.problem;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.Violation;
import io.jobstate.jobs.store.StoreUnavailableException;
import io.jobstate.rest.support.Jsonp;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem under construction — status, title, detail and the extension members the
 * contract names — and the one way every error body of the service is made: JAX-RS answers take
 * {@link #toResponse()}, the servlet filter for the server's own 401/403 takes {@link #body()}. Not
 * thread-safe; build one per answer.
 */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** Names why a 409 happened, so clients can re-decide without parsing prose. */
    public static final String CONFLICT_REASON = "conflictReason";
    static final String RETRY_AFTER_SECONDS = "1";
    /** {@code unavailableReason} of a 503 for one busy job (contention), which is not an outage. */
    public static final String LOCK_WAIT = StoreUnavailableException.Reason.LOCK_WAIT.name();

    private final int status;
    private final JsonObjectBuilder body = Jsonp.object();
    private final List<Map.Entry<String, Object>> headers = new ArrayList<>(2);

    private Problem(int status, String title, String detail) {
        this.status = status;
        body.add("type", "about:blank").add("title", title).add("status", status);
        if (detail != null) {
            body.add("detail", detail);
        }
    }

    public static Problem of(Response.Status status, String detail) {
        return new Problem(status.getStatusCode(), status.getReasonPhrase(), detail);
    }

    /** A problem for any status code, titled with its standard reason phrase. */
    public static Problem of(int status, String detail) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return new Problem(status, known == null ? "HTTP " + status : known.getReasonPhrase(), detail);
    }

    public static Problem badRequest(List<Violation> violations) {
        Problem problem = of(Response.Status.BAD_REQUEST, "The request is invalid.");
        JsonArrayBuilder errors = Jsonp.array();
        violations.forEach(v -> errors.add(Jsonp.object().add("field", v.field()).add("message", v.message())));
        problem.body.add("errors", errors);
        return problem;
    }

    public static Problem badRequest(String field, String message) {
        return badRequest(List.of(new Violation(field, message)));
    }

    /**
     * 503 with Retry-After: the server cannot serve this now, and retrying soon is right.
     * {@code unavailableReason} says why: an outage ({@code DATABASE}), a bound on a wait for the
     * database ({@code DATABASE_TIMEOUT}, {@code POOL_WAIT}, {@code STATEMENT_TIMEOUT}), one busy job
     * ({@code LOCK_WAIT}, which clients need not treat as an outage), or the streams' limit
     * ({@code STREAM_LIMIT}).
     */
    public static Problem unavailable(String reason, String detail) {
        return unavailable(reason, detail, RETRY_AFTER_SECONDS);
    }

    /** As {@link #unavailable(String, String)}, with another Retry-After (seconds). */
    public static Problem unavailable(String reason, String detail, String retryAfterSeconds) {
        Problem problem = of(Response.Status.SERVICE_UNAVAILABLE, detail).header("Retry-After", retryAfterSeconds);
        problem.body.add("unavailableReason", reason);
        return problem;
    }

    public static Problem notFound(String jobId) {
        Problem problem = of(Response.Status.NOT_FOUND, "No job has this id.");
        problem.body.add("jobId", jobId);
        return problem;
    }

    /** 409: the job as it is now does not accept the request, and why. */
    public static Problem conflict(Job current, ConflictReason reason, String detail) {
        return of(Response.Status.CONFLICT, detail).withCurrent(current).with(CONFLICT_REASON, reason.name());
    }

    /** 412: If-Match named another version than the job's. */
    public static Problem preconditionFailed(Job current) {
        return of(Response.Status.PRECONDITION_FAILED, "If-Match does not match the job's current version.")
                .withCurrent(current);
    }

    /** A problem about a job as it is now: its id, status and version, and the job's ETag. */
    public Problem withCurrent(Job current) {
        body.add("jobId", current.id().toString())
                .add("currentStatus", current.status().name())
                .add("currentVersion", current.version());
        return header("ETag", "\"" + current.version() + "\"");
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
        headers.add(Map.entry(name, value));
        return this;
    }

    public int status() {
        return status;
    }

    /** The problem document. Building it ends the problem's construction. */
    public JsonObject body() {
        return body.build();
    }

    public Response toResponse() {
        // bytes, not the object: the JSON-P entity writer would look its provider up again
        Response.ResponseBuilder response = Response.status(status).type(MEDIA_TYPE)
                .entity(body().toString().getBytes(StandardCharsets.UTF_8));
        headers.forEach(header -> response.header(header.getKey(), header.getValue()));
        return response.build();
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
