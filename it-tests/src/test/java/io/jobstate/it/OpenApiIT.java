package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobstate.it.openapi.ExchangeCheck;
import io.jobstate.it.openapi.RequestBodies;
import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.IdempotencyKeys;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Lease;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.listing.JobQuery;
import io.jobstate.jobs.store.StoreUnavailableException;
import io.jobstate.jobs.transition.TransitionRequest;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is served, open, documents every status code, and takes from the code what
 * the code owns: the statuses, the conflict reasons, and every bound the server validates with.
 * Every parameter is typed, every job id a UUID, every error a problem with its headers.
 */
class OpenApiIT extends LibertyTest {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate();
    }

    @Test
    void everyTransitionStatusCodeIsDocumentedWithTheProblemSchema() throws Exception {
        JsonObject document = document();
        JsonObject transitions = path(document, "/api/jobs/{id}/transitions").getJsonObject("post");

        assertThat(transitions.getJsonObject("responses").keySet())
                .containsExactlyInAnyOrder("200", "400", "401", "403", "404", "409", "412", "413", "415", "503");
        JsonObject conflict = document.getJsonObject("components").getJsonObject("responses").getJsonObject("Conflict");
        assertThat(conflict.getJsonObject("content").keySet()).containsExactly("application/problem+json");
        assertThat(path(document, "/api/jobs").getJsonObject("post").getJsonObject("responses").keySet())
                .contains("201", "400", "409", "413", "415");
    }

    @Test
    void theEventFeedAndItsStreamsAreDocumentedWithGone() throws Exception {
        JsonObject document = document();

        for (String path : new String[] {"/api/events", "/api/events/stream", "/api/jobs/{id}/events/stream"}) {
            assertThat(path(document, path).getJsonObject("get").getJsonObject("responses").keySet()).as(path)
                    .contains("200", "400", "401", "410");
        }
        assertThat(path(document, "/api/events/stream").getJsonObject("get").getJsonObject("responses")
                .getJsonObject("200").getJsonObject("content").keySet()).containsExactly("text/event-stream");
        assertThat(document.getJsonObject("components").getJsonObject("schemas").getJsonObject("JobEvent")
                .getJsonArray("required").getValuesAs(JsonString.class)).extracting(JsonString::getString)
                .containsExactly("seq", "jobId", "from", "to", "version", "at");
    }

    @Test
    void theDocumentedStatusesAreExactlyTheCodes() throws Exception {
        JsonObject status = document().getJsonObject("components").getJsonObject("schemas").getJsonObject("JobStatus");

        assertThat(status.getJsonArray("enum").getValuesAs(JsonString.class)).extracting(JsonString::getString)
                .containsExactlyElementsOf(Arrays.stream(JobStatus.values()).map(Enum::name).toList());
    }

    @Test
    void theConflictReasonsAreExactlyTheCodes() throws Exception {
        JsonObject reason = schema(document(), "ConflictReason");

        assertThat(reason.getJsonArray("enum").getValuesAs(JsonString.class)).extracting(JsonString::getString)
                .containsExactlyElementsOf(Arrays.stream(ConflictReason.values()).map(Enum::name).toList());
    }

    @Test
    void everyBoundIsTheOneTheServerValidatesWith() throws Exception {
        JsonObject document = document();

        assertThat(member(document, "NewJob", "type").getInt("maxLength")).isEqualTo(NewJob.MAX_TYPE_LENGTH);
        assertThat(member(document, "TransitionRequest", "error").getInt("maxLength")).isEqualTo(TransitionRequest.MAX_ERROR_LENGTH);
        assertThat(member(document, "TransitionRequest", "reason").getInt("maxLength")).isEqualTo(TransitionRequest.MAX_REASON_LENGTH);
        assertThat(member(document, "TransitionRequest", "leaseSeconds").getInt("minimum")).isEqualTo(Lease.MIN_SECONDS);
        assertThat(member(document, "TransitionRequest", "leaseSeconds").getInt("maximum")).isEqualTo(Lease.MAX_SECONDS);
        assertThat(member(document, "ProgressReport", "progress").getInt("minimum")).isEqualTo(Job.MIN_PROGRESS);
        assertThat(member(document, "ProgressReport", "progress").getInt("maximum")).isEqualTo(Job.MAX_PROGRESS);
        assertThat(parameter(document, "/api/jobs", "get", "limit").getJsonObject("schema").getInt("maximum")).isEqualTo(JobQuery.MAX_LIMIT);
        assertThat(parameter(document, "/api/events", "get", "limit").getJsonObject("schema").getInt("maximum")).isEqualTo(EventQuery.MAX_LIMIT);
        for (String[] operation : new String[][] {{"/api/jobs", "post"}, {"/api/jobs/{id}/transitions", "post"}}) {
            assertThat(parameter(document, operation[0], operation[1], IdempotencyKeys.FIELD).getJsonObject("schema").getInt("maxLength"))
                    .as(operation[0]).isEqualTo(IdempotencyKeys.MAX_LENGTH);
        }
        for (String[] operation : new String[][] {{"/api/jobs/{id}/transitions", "post"}, {"/api/jobs/{id}/progress", "put"},
                {"/api/jobs/{id}/heartbeat", "post"}}) {
            assertThat(parameter(document, operation[0], operation[1], Lease.TOKEN_FIELD).getJsonObject("schema").getInt("maxLength"))
                    .as(operation[0]).isEqualTo(Lease.MAX_TOKEN_LENGTH);
        }
    }

    @Test
    void everyParameterIsTypedAndEveryJobIdIsAUuid() throws Exception {
        List<String> untyped = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        operations(document()).forEach((name, operation) -> {
            JsonArray parameters = operation.getJsonArray("parameters");
            for (JsonObject parameter : parameters == null ? List.<JsonObject>of() : parameters.getValuesAs(JsonObject.class)) {
                JsonObject schema = parameter.getJsonObject("schema");
                String where = name + " " + parameter.getString("name");
                if (schema == null || !(schema.containsKey("type") || schema.containsKey("$ref"))) {
                    untyped.add(where);
                }
                if (parameter.getString("in").equals("path")) {
                    ids.add(where + ": " + schema.getString("format", "no format"));
                }
            }
        });

        assertThat(untyped).as("parameters without a type").isEmpty();
        assertThat(ids).hasSize(6).allSatisfy(id -> assertThat(id).endsWith(" id: uuid"));
        assertThat(parameter(document(), "/api/events/stream", "get", "Last-Event-ID").getJsonObject("schema").getString("type"))
                .isEqualTo("integer");
        assertThat(schema(document(), "HistoryEntries").getJsonObject("items").getString("$ref")).endsWith("/HistoryEntry");
    }

    /** Generated clients name their methods after it; without one they make up names such as api_jobs_counts_get. */
    @Test
    void everyOperationOfTheApiHasAnOperationIdOfItsOwn() throws Exception {
        Map<String, String> ids = new TreeMap<>();
        operations(document()).forEach((name, operation) -> {
            if (name.contains(" /api/")) {
                ids.put(name, operation.getString("operationId", ""));
            }
        });

        assertThat(ids).as("operations of the API").hasSizeGreaterThanOrEqualTo(11).doesNotContainValue("");
        assertThat(ids.values()).doesNotHaveDuplicates();
        assertThat(ids).containsEntry("get /api/jobs/counts", "countJobs");
    }

    /** Every reason the server can give a 503 is in the document, and nothing else. */
    @Test
    void theUnavailableReasonsAreExactlyTheStoresTheStreamLimitAndTheClaimLine() throws Exception {
        JsonObject reason = schema(document(), "UnavailableProblem").getJsonObject("properties").getJsonObject("unavailableReason");
        List<String> expected = new ArrayList<>(Arrays.stream(StoreUnavailableException.Reason.values()).map(Enum::name).toList());
        expected.add("STREAM_LIMIT");
        expected.add("CLAIM_WAITERS");

        assertThat(reason.getJsonArray("enum").getValuesAs(JsonString.class)).extracting(JsonString::getString)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyErrorIsAProblemAndTheHeadersThatMatterAreDocumented() throws Exception {
        JsonObject document = document();
        JsonObject responses = document.getJsonObject("components").getJsonObject("responses");
        List<String> errors = new ArrayList<>();
        operations(document).forEach((name, operation) -> operation.getJsonObject("responses").forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                String ref = response.asJsonObject().getString("$ref", "");
                JsonObject shared = responses.getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
                errors.add(name + " " + code + ": " + (shared == null ? "not a shared response" : shared.getJsonObject("content").keySet()));
            }
        }));

        assertThat(errors).isNotEmpty().allSatisfy(error -> assertThat(error).endsWith(": [application/problem+json]"));
        assertThat(responses.getJsonObject("Conflict").getJsonObject("headers").keySet()).containsExactly("ETag");
        assertThat(responses.getJsonObject("PreconditionFailed").getJsonObject("headers").keySet()).containsExactly("ETag");
        assertThat(responses.getJsonObject("Unavailable").getJsonObject("headers").keySet()).containsExactly("Retry-After");
        assertThat(schema(document, "ConflictProblem").getJsonArray("required").getValuesAs(JsonString.class))
                .extracting(JsonString::getString).contains("conflictReason", "currentStatus", "currentVersion");
        assertThat(path(document, "/api/jobs").getJsonObject("post").getJsonObject("responses").getJsonObject("201")
                .getJsonObject("headers").keySet()).containsExactlyInAnyOrder("Location", "ETag", "Idempotent-Replayed");
    }

    /** A change of the document that makes it contradict the service, and an exchange that shows it. */
    private record Drift(String name, Consumer<ObjectNode> change, HttpRequest.Builder exchange) {
    }

    @Test
    void theExchangeCheckFailsWhereTheDocumentDriftsFromTheService() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode served = (ObjectNode) json.readTree(get("/openapi?format=JSON").body());
        Http http = new Http(base);
        String id = json.readTree(http.postJson("jobs", "{\"type\": \"drift\"}").body()).get("id").asText();
        HttpRequest.Builder read = http.request("jobs/" + id).GET();
        HttpRequest.Builder illegal = http.request("jobs/" + id + "/transitions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\": \"COMPLETED\"}"));
        List<Drift> drifts = List.of(
                new Drift("the service sends a member the document does not have",
                        d -> ((ObjectNode) at(d, "components", "schemas", "Job", "properties")).remove("leaseExpiresAt"), read),
                new Drift("the document requires a member the service never sends",
                        d -> ((ArrayNode) at(d, "components", "schemas", "Job", "required")).add("owner"), read),
                new Drift("the ETag is documented in another form",
                        d -> ((ObjectNode) at(d, "components", "headers", "ETag", "schema")).put("pattern", "^W/\"[0-9]+\"$"), read),
                new Drift("a bound stricter than the server's",
                        d -> at(d, "paths", "/api/jobs", "get", "parameters").forEach(p -> {
                            if (p.get("name").asText().equals("limit")) {
                                ((ObjectNode) p.get("schema")).put("maximum", 400);
                            }
                        }), http.request("jobs?limit=450").GET()),
                new Drift("a status code the operation does not document",
                        d -> ((ObjectNode) at(d, "paths", "/api/jobs/{id}/transitions", "post", "responses")).remove("409"), illegal),
                new Drift("a conflict reason the document does not know",
                        d -> ((ObjectNode) at(d, "components", "schemas", "ConflictReason")).putArray("enum").add("STALE_STATUS"), illegal),
                new Drift("the history as one entry instead of an array of them",
                        d -> ((ObjectNode) at(d, "components", "schemas")).putObject("HistoryEntries")
                                .put("$ref", "#/components/schemas/HistoryEntry"), http.request("jobs/" + id + "/history").GET()));

        SoftAssertions softly = new SoftAssertions();
        for (Drift drift : drifts) {
            HttpRequest request = drift.exchange().copy().build();
            HttpResponse<String> response = http.send(drift.exchange());
            ObjectNode drifted = served.deepCopy();
            drift.change().accept(drifted);
            softly.assertThat(ExchangeCheck.against(drifted.toString()).verdict(request, RequestBodies.text(request), response).violations())
                    .as(drift.name()).isNotEmpty();
            softly.assertThat(ExchangeCheck.against(served.toString()).verdict(request, RequestBodies.text(request), response).violations())
                    .as(drift.name() + ", against the served document").isEmpty();
        }
        softly.assertAll();
    }

    @Test
    void theUserInterfaceIsServedWithoutCredentials() throws Exception {
        assertThat(get("/openapi/ui/").statusCode()).isEqualTo(200);
    }

    private JsonObject document() throws Exception {
        HttpResponse<String> response = get("/openapi?format=JSON");
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** The node at {@code names} in {@code document}; a name starting with / is a path, found with or without a context root. */
    private static JsonNode at(ObjectNode document, String... names) {
        JsonNode node = document;
        for (String name : names) {
            JsonNode parent = node;
            node = name.startsWith("/")
                    ? parent.properties().stream().filter(e -> e.getKey().endsWith(name)).map(Map.Entry::getValue)
                            .findFirst().orElseThrow(() -> new AssertionError("no path ending " + name))
                    : parent.get(name);
        }
        return node;
    }

    /** "METHOD /path" to each operation of the document. */
    private static Map<String, JsonObject> operations(JsonObject document) {
        Map<String, JsonObject> operations = new TreeMap<>();
        document.getJsonObject("paths").forEach((path, item) -> item.asJsonObject().forEach((method, operation) -> {
            if (operation.getValueType() == JsonValue.ValueType.OBJECT && operation.asJsonObject().containsKey("responses")) {
                operations.put(method + " " + path, operation.asJsonObject());
            }
        }));
        return operations;
    }

    private static JsonObject parameter(JsonObject document, String path, String method, String name) {
        return path(document, path).getJsonObject(method).getJsonArray("parameters").getValuesAs(JsonObject.class).stream()
                .filter(p -> p.getString("name").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(method + " " + path + " has no parameter " + name));
    }

    private static JsonObject schema(JsonObject document, String name) {
        return document.getJsonObject("components").getJsonObject("schemas").getJsonObject(name);
    }

    private static JsonObject member(JsonObject document, String schema, String member) {
        return schema(document, schema).getJsonObject("properties").getJsonObject(member);
    }

    private static JsonObject path(JsonObject document, String suffix) {
        return document.getJsonObject("paths").entrySet().stream()
                .filter(e -> e.getKey().endsWith(suffix))
                .map(Map.Entry::getValue).map(v -> v.asJsonObject())
                .findFirst().orElseThrow(() -> new AssertionError("no path ending " + suffix));
    }

    private HttpResponse<String> get(String path) {
        return Http.getFromServer(base, path);
    }
}
