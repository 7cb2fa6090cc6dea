package io.jobstate.client.fake;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.progress.ProgressOutcome;
import io.jobstate.jobs.transition.TransitionOutcome;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The contract's representations and problems, as the fake answers them. */
final class FakeResponses {

    private FakeResponses() {
    }

    static ResponseDefinitionBuilder of(TransitionOutcome outcome) {
        return switch (outcome) {
            case TransitionOutcome.Applied applied -> job(200, applied.job(), false);
            case TransitionOutcome.Replayed replayed -> job(200, replayed.job(), true);
            case TransitionOutcome.Conflict conflict -> withBody(409, problemBody(409, "Conflict", conflict.reason().name())
                    .add("jobId", conflict.current().id().toString())
                    .add("currentStatus", conflict.current().status().name())
                    .add("currentVersion", conflict.current().version())
                    .add("requestedStatus", conflict.requested().name())
                    .add("conflictReason", conflict.reason().name()));
            case TransitionOutcome.PreconditionFailed failed -> withBody(412, problemBody(412, "Precondition Failed", null)
                    .add("jobId", failed.current().id().toString())
                    .add("currentStatus", failed.current().status().name())
                    .add("currentVersion", failed.current().version()))
                    .withHeader("ETag", "\"" + failed.current().version() + "\"");
            case TransitionOutcome.NotFound notFound -> notFound(notFound.jobId().toString());
            case TransitionOutcome.Invalid invalid -> badRequest(invalid.violations().stream()
                    .map(v -> List.of(v.field(), v.message())).toList());
            case TransitionOutcome.LockTimedOut timedOut -> busy();
        };
    }

    static ResponseDefinitionBuilder of(ProgressOutcome outcome) {
        return switch (outcome) {
            case ProgressOutcome.Updated updated -> job(200, updated.job(), false);
            case ProgressOutcome.Rejected rejected -> conflict(rejected.current(), rejected.reason().name());
            case ProgressOutcome.NotFound notFound -> notFound(notFound.jobId().toString());
            case ProgressOutcome.Invalid invalid -> badRequest(invalid.violations().stream()
                    .map(v -> List.of(v.field(), v.message())).toList());
        };
    }

    /** 400 with the field errors of {@code violations}. */
    static ResponseDefinitionBuilder invalid(List<io.jobstate.jobs.Violation> violations) {
        return badRequest(violations.stream().map(v -> List.of(v.field(), v.message())).toList());
    }

    /** 409 about {@code current} for {@code reason} (progress and heartbeats). */
    static ResponseDefinitionBuilder conflict(Job current, String reason) {
        return withBody(409, problemBody(409, "Conflict", reason)
                .add("jobId", current.id().toString())
                .add("currentStatus", current.status().name())
                .add("currentVersion", current.version())
                .add("conflictReason", reason));
    }

    static ResponseDefinitionBuilder job(int status, Job job, boolean replayed) {
        ResponseDefinitionBuilder answer = ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withHeader("ETag", "\"" + job.version() + "\"")
                .withBody(jobJson(job).build().toString());
        return replayed ? answer.withHeader("Idempotent-Replayed", "true") : answer;
    }

    static ResponseDefinitionBuilder page(Collection<Job> jobs) {
        JsonArrayBuilder items = Json.createArrayBuilder();
        jobs.forEach(job -> items.add(jobJson(job)));
        return json(200, Json.createObjectBuilder().add("items", items).addNull("nextCursor").build().toString());
    }

    /** The page {@code after}/{@code limit} of {@code entries}, with a Link to the next page when more follow, as the server answers. */
    static ResponseDefinitionBuilder history(List<HistoryEntry> entries, long after, int limit) {
        List<HistoryEntry> following = entries.stream().filter(entry -> entry.version() > after).toList();
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (HistoryEntry entry : following.subList(0, Math.min(limit, following.size()))) {
            JsonObjectBuilder item = Json.createObjectBuilder().add("version", entry.version())
                    .add("from", entry.from().name()).add("to", entry.to().name())
                    .add("at", entry.at().toString()).add("attempt", entry.attempt());
            if (entry.idempotencyKey() != null) {
                item.add("idempotencyKey", entry.idempotencyKey());
            }
            array.add(item);
        }
        ResponseDefinitionBuilder answer = json(200, array.build().toString());
        if (following.size() > limit) {
            answer.withHeader("Link", "<?after=" + following.get(limit - 1).version() + "&limit=" + limit + ">; rel=\"next\"");
        }
        return answer;
    }

    /** A problem as the service would send it for {@code status}, about {@code job} where the status names one. */
    static ResponseDefinitionBuilder refused(int status, Job job) {
        JsonObjectBuilder problem = problemBody(status, "Refused", "injected");
        if (job != null && (status == 409 || status == 412)) {
            problem.add("jobId", job.id().toString()).add("currentStatus", job.status().name())
                    .add("currentVersion", job.version());
        }
        return withBody(status, problem);
    }

    static ResponseDefinitionBuilder notFound(String jobId) {
        return withBody(404, problemBody(404, "Not Found", "No job has this id.").add("jobId", jobId));
    }

    static ResponseDefinitionBuilder badRequest(List<List<String>> fieldErrors) {
        JsonArrayBuilder errors = Json.createArrayBuilder();
        fieldErrors.forEach(e -> errors.add(Json.createObjectBuilder().add("field", e.get(0)).add("message", e.get(1))));
        return withBody(400, problemBody(400, "Bad Request", "The request is invalid.").add("errors", errors));
    }

    static ResponseDefinitionBuilder problem(int status, String title, String detail) {
        return withBody(status, problemBody(status, title, detail));
    }

    static ResponseDefinitionBuilder busy() {
        return withBody(503, problemBody(503, "Service Unavailable", "lock wait").add("unavailableReason", "LOCK_WAIT"))
                .withHeader("Retry-After", "0");
    }

    static ResponseDefinitionBuilder connectionReset() {
        return ResponseDefinitionBuilder.responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER);
    }

    private static JsonObjectBuilder problemBody(int status, String title, String detail) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("type", "about:blank").add("title", title).add("status", status);
        return detail == null ? body : body.add("detail", detail);
    }

    private static ResponseDefinitionBuilder withBody(int status, JsonObjectBuilder problem) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/problem+json").withBody(problem.build().toString());
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body);
    }

    private static JsonObjectBuilder jobJson(Job job) {
        return Json.createObjectBuilder()
                .add("id", job.id().toString()).add("type", job.type()).add("status", job.status().name())
                .add("version", job.version()).add("attempt", job.attempt()).add("progress", job.progress())
                .add("payload", job.payload() == null ? JsonValue.NULL : Json.createReader(new StringReader(job.payload())).readValue())
                .add("result", job.result() == null ? JsonValue.NULL : Json.createReader(new StringReader(job.result())).readValue())
                .add("error", job.error() == null ? JsonValue.NULL : Json.createValue(job.error()))
                .add("createdAt", time(job.createdAt())).add("updatedAt", time(job.updatedAt()))
                .add("startedAt", time(job.startedAt())).add("finishedAt", time(job.finishedAt()))
                .add("leaseToken", job.lease() == null ? JsonValue.NULL : Json.createValue(job.lease().token()))
                .add("leaseExpiresAt", job.lease() == null ? JsonValue.NULL : time(job.lease().expiresAt()));
    }

    private static JsonValue time(Instant instant) {
        return instant == null ? JsonValue.NULL : Json.createValue(instant.toString());
    }
}
