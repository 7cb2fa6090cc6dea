package io.jobstate.client.problem;

import io.jobstate.client.api.JobStatus;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Turns every error answer (4xx, 5xx) into the typed exception for its status, reading the
 * contract's problem members. Tolerant of bodies that are not problems (a proxy's HTML page):
 * the status still decides the type. Stateless and thread-safe.
 */
public final class ProblemResponses implements ResponseExceptionMapper<JobstateException> {

    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }

    @Override
    public JobstateException toThrowable(Response response) {
        int status = response.getStatus();
        JsonObject problem = problemOf(response);
        String title = problem.getString("title", Response.Status.Family.familyOf(status).name());
        String detail = problem.getString("detail", null);
        return switch (status) {
            case 400 -> new InvalidRequestException(detail, fieldErrors(problem));
            case 401, 403 -> new AccessDeniedException(status, title, detail);
            // The service says 404 with a problem. A 404 without one is a server with the service not deployed
            // (Liberty starting or restarting answers its own page): the request never reached us, so it is retried.
            case 404 -> isProblem(response) ? new JobNotFoundException(problem.getString("jobId", null), detail)
                    : new UnavailableException(status, title, "The server answered 404 without a problem: the service is not deployed there (yet).", null);
            case 409 -> new ConflictException(detail, problem.getString("jobId", null), status(problem, "currentStatus"),
                    currentVersion(problem), status(problem, "requestedStatus"),
                    ConflictReason.named(problem.getString("conflictReason", null)));
            case 412 -> new PreconditionFailedException(detail, problem.getString("jobId", null),
                    status(problem, "currentStatus"), currentVersion(problem));
            case 503 -> "LOCK_WAIT".equals(problem.getString("unavailableReason", null))
                    ? new ContentionException(detail, retryAfter(response))
                    : new UnavailableException(status, title, detail, retryAfter(response));
            case 502, 504 -> new UnavailableException(status, title, detail, retryAfter(response));
            default -> new JobstateException(status, title, detail);
        };
    }

    private static JsonObject problemOf(Response response) {
        if (!response.hasEntity()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        String body = response.readEntity(String.class);
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException | ClassCastException e) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
    }

    /**
     * Whether the answer is the service's own problem. A 404 without one comes from a server where the
     * service is not deployed (yet): a restart, not a missing job.
     */
    public static boolean isProblem(Response response) {
        MediaType type = response.getMediaType();
        return type != null && "application".equals(type.getType()) && "problem+json".equals(type.getSubtype());
    }

    private static JobStatus status(JsonObject problem, String member) {
        String name = problem.getString(member, null);
        try {
            return name == null ? null : JobStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Duration retryAfter(Response response) {
        return RetryAfter.parse(response.getHeaderString("Retry-After")).orElse(null);
    }

    private static long currentVersion(JsonObject problem) {
        return problem.get("currentVersion") instanceof JsonNumber version ? version.longValue() : -1;
    }

    private static List<InvalidRequestException.FieldError> fieldErrors(JsonObject problem) {
        List<InvalidRequestException.FieldError> errors = new ArrayList<>();
        JsonArray array = problem.get("errors") instanceof JsonArray a ? a : JsonValue.EMPTY_JSON_ARRAY;
        for (JsonValue value : array) {
            if (value instanceof JsonObject error) {
                errors.add(new InvalidRequestException.FieldError(error.getString("field", ""), error.getString("message", "")));
            }
        }
        return errors;
    }
}
