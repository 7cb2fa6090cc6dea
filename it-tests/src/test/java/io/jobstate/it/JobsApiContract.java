package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import io.jobstate.testing.postgres.PostgresServer;
import io.jobstate.testing.postgres.TestDatabase;

/**
 * The job endpoints through HTTP on a real Open Liberty with a real PostgreSQL; each subclass runs
 * them on one locking path.
 */
abstract class JobsApiContract extends LibertyTest {

    @Test
    void aJobIsCreatedReadAndMovedThroughItsLife() {
        Http http = new Http(base);

        HttpResponse<String> created = http.postJson("jobs", "{\"type\": \"build\", \"payload\": {\"repo\": \"x\"}}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonObject job = object(created);
        String id = job.getString("id");
        assertThat(job.getString("status")).isEqualTo("PENDING");
        assertThat(created.headers().firstValue("ETag")).contains("\"0\"");
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/jobs/" + id));

        HttpResponse<String> running = http.postJson("jobs/" + id + "/transitions", "{\"to\": \"RUNNING\"}");
        assertThat(running.statusCode()).isEqualTo(200);
        assertThat(object(running).getInt("version")).isEqualTo(1);
        assertThat(running.headers().firstValue("ETag")).contains("\"1\"");

        HttpResponse<String> read = http.get("jobs/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(object(read).getString("status")).isEqualTo("RUNNING");

        HttpResponse<String> notModified = http.send(http.request("jobs/" + id).header("If-None-Match", "\"1\"").GET());
        assertThat(notModified.statusCode()).isEqualTo(304);

        HttpResponse<String> history = http.get("jobs/" + id + "/history");
        assertThat(history.statusCode()).isEqualTo(200);
        assertThat(Json.createReader(new StringReader(history.body())).readArray()).hasSize(1);
    }

    /** The scenario of an operator's open transaction: see {@link HeldJobScenario}. */
    @Test
    void sixtyFourTransitionsOfAJobAPsqlSessionHoldsAre503WithinTheLockBoundAndNothingElseWaits(PostgresServer server,
                                                                                                TestDatabase database)
            throws Exception {
        new HeldJobScenario(base).run(server, database);
    }

    @Test
    void appliedTransitionsAndConflictsAreCountedInMetrics() {
        Http http = new Http(base);
        double queuedBefore = counter("jobstate_transitions_applied_total{", "from=\"PENDING\"", "to=\"QUEUED\"");
        double illegalBefore = counter("jobstate_transition_conflicts_total{", "reason=\"illegal_transition\"");
        String id = object(http.postJson("jobs", "{\"type\": \"build\"}")).getString("id");
        http.postJson("jobs/" + id + "/transitions", "{\"to\": \"QUEUED\"}");
        http.postJson("jobs/" + id + "/transitions", "{\"to\": \"COMPLETED\"}");

        assertThat(counter("jobstate_transitions_applied_total{", "from=\"PENDING\"", "to=\"QUEUED\""))
                .isEqualTo(queuedBefore + 1);
        assertThat(counter("jobstate_transition_conflicts_total{", "reason=\"illegal_transition\""))
                .isEqualTo(illegalBefore + 1);
        assertThat(Http.metrics(base).body().lines()).as("the application's own request timer")
                .anySatisfy(line -> assertThat(line).startsWith("jobstate_request_seconds_count")
                        .contains("endpoint=\"TransitionsResource.transition\""))
                .noneSatisfy(line -> assertThat(line).startsWith("REST_request_seconds"));
    }

    /** The value of the Prometheus line that starts with {@code prefix} and has every label; 0 when absent. */
    private double counter(String prefix, String... labels) {
        HttpResponse<String> metrics = Http.metrics(base);
        assertThat(metrics.statusCode()).isEqualTo(200);
        return Http.counter(metrics, prefix, labels);
    }

    @Test
    void aRetriedRequestWithItsIdempotencyKeyIsReplayedNotReapplied() {
        Http http = new Http(base);
        HttpRequest.Builder create = http.request("jobs").header("Content-Type", "application/json")
                .header("Idempotency-Key", "create-" + System.nanoTime())
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"build\"}"));
        HttpResponse<String> first = http.send(create);
        HttpResponse<String> again = http.send(create.copy());
        String id = object(first).getString("id");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).as("a replay answers what the original got").isEqualTo(201);
        assertThat(again.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(object(again)).isEqualTo(object(first));

        String key = "run-" + System.nanoTime();
        HttpRequest.Builder run = http.request("jobs/" + id + "/transitions").header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString("{\"to\": \"RUNNING\"}"));
        assertThat(http.send(run).statusCode()).isEqualTo(200);
        HttpResponse<String> replayed = http.send(run.copy());
        HttpResponse<String> reused = http.send(http.request("jobs/" + id + "/transitions")
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\": \"CANCELLED\"}")));

        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(object(replayed).getInt("version")).isEqualTo(1);
        assertThat(replayed.headers().firstValue("ETag")).contains("\"1\"");
        assertProblem(reused, 409);
        assertThat(object(reused).getString("conflictReason")).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(Json.createReader(new StringReader(http.get("jobs/" + id + "/history").body())).readArray()).hasSize(1);
    }

    @Test
    void progressIsReportedWhileRunningAndJobsArePagedNewestFirst() {
        Http http = new Http(base);
        String type = "paged-" + System.nanoTime();
        String first = object(http.postJson("jobs", "{\"type\": \"" + type + "\"}")).getString("id");
        String second = object(http.postJson("jobs", "{\"type\": \"" + type + "\"}")).getString("id");
        String lease = object(http.postJson("jobs/" + second + "/transitions", "{\"to\": \"RUNNING\"}")).getString("leaseToken");

        HttpResponse<String> progress = http.send(http.request("jobs/" + second + "/progress").header("Lease-Token", lease)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"progress\": 40}")));
        JsonObject page1 = object(http.get("jobs?type=" + type + "&limit=1"));
        JsonObject page2 = object(http.get("jobs?type=" + type + "&limit=1&cursor=" + page1.getString("nextCursor")));

        assertThat(progress.statusCode()).isEqualTo(200);
        assertThat(object(progress).getInt("progress")).isEqualTo(40);
        assertThat(object(progress).getInt("version")).isEqualTo(1);
        assertThat(page1.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(second);
        assertThat(page2.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(first);
        assertThat(page2.isNull("nextCursor")).isTrue();
    }

    @Test
    void theCountsFollowCreationsAndTransitionsAndNameTheFeedPositionTheyReflect() {
        Http http = new Http(base);
        JsonObject before = object(http.get("jobs/counts"));
        String id = object(http.postJson("jobs", "{\"type\": \"counted\"}")).getString("id");
        http.postJson("jobs/" + id + "/transitions", "{\"to\": \"QUEUED\"}");
        // events are numbered just after their commit: wait for this one's number
        long queuedSeq = await().atMost(Duration.ofSeconds(10)).until(() -> object(http.get("events?after="
                + before.getJsonNumber("lastSeq").longValue() + "&limit=1000")).getJsonArray("items").stream()
                .map(JsonValue::asJsonObject).filter(event -> event.getString("jobId").equals(id))
                .mapToLong(event -> event.getJsonNumber("seq").longValue()).findFirst(), OptionalLong::isPresent).getAsLong();

        HttpResponse<String> answer = http.get("jobs/counts");
        HttpResponse<String> asViewer = new Http(base, DevTokens.forRole("viewer")).get("jobs/counts");

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonObject after = object(answer);
        assertThat(delta(before, after, "PENDING")).isZero();
        assertThat(delta(before, after, "QUEUED")).isEqualTo(1);
        assertThat(after.getJsonNumber("total").longValue() - before.getJsonNumber("total").longValue()).isEqualTo(1);
        assertThat(after.getJsonObject("counts").values().stream().mapToLong(n -> ((JsonNumber) n).longValue()).sum())
                .isEqualTo(after.getJsonNumber("total").longValue());
        assertThat(after.getJsonNumber("lastSeq").longValue()).as("the QUEUED event is reflected").isGreaterThanOrEqualTo(queuedSeq);
        assertThat(asViewer.statusCode()).isEqualTo(200);
        assertProblem(new Http(base, null).get("jobs/counts"), 401);
    }

    private static long delta(JsonObject before, JsonObject after, String status) {
        return after.getJsonObject("counts").getJsonNumber(status).longValue() - before.getJsonObject("counts").getJsonNumber(status).longValue();
    }

    @Test
    void aStaleCallerGetsAConflictCarryingTheCurrentState() {
        Http http = new Http(base);
        String id = object(http.postJson("jobs", "{\"type\": \"build\"}")).getString("id");
        http.postJson("jobs/" + id + "/transitions", "{\"to\": \"RUNNING\"}");

        HttpResponse<String> stale = http.postJson("jobs/" + id + "/transitions",
                "{\"to\": \"CANCELLED\", \"expectedStatus\": \"PENDING\"}");

        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonObject problem = object(stale);
        assertThat(problem.getString("currentStatus")).isEqualTo("RUNNING");
        assertThat(problem.getInt("currentVersion")).isEqualTo(1);
        assertThat(problem.getString("requestedStatus")).isEqualTo("CANCELLED");
        assertThat(problem.getString("conflictReason")).isEqualTo("STALE_STATUS");
    }

    @Test
    void aMismatchedIfMatchFailsThePreconditionWithTheCurrentETag() {
        Http http = new Http(base);
        String id = object(http.postJson("jobs", "{\"type\": \"build\"}")).getString("id");

        HttpResponse<String> failed = http.send(http.request("jobs/" + id + "/transitions")
                .header("Content-Type", "application/json").header("If-Match", "\"7\"")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\": \"QUEUED\"}")));

        assertThat(failed.statusCode()).isEqualTo(412);
        assertThat(failed.headers().firstValue("ETag")).contains("\"0\"");
        assertThat(object(failed).getInt("currentVersion")).isZero();
    }

    @Test
    void aLongHistoryComesInPagesEachNamingTheNext() {
        Http http = new Http(base);
        String id = object(http.postJson("jobs", "{\"type\": \"retried\"}")).getString("id");
        int retries = 40;
        for (int i = 0; i < retries; i++) {
            for (String to : new String[] {"QUEUED", "RUNNING"}) {
                assertThat(http.postJson("jobs/" + id + "/transitions", "{\"to\": \"" + to + "\"}").statusCode()).isEqualTo(200);
            }
            String lease = object(http.get("jobs/" + id)).getString("leaseToken");
            assertThat(http.send(http.request("jobs/" + id + "/transitions").header("Content-Type", "application/json")
                    .header("Lease-Token", lease).POST(HttpRequest.BodyPublishers.ofString("{\"to\": \"FAILED\"}")))
                    .statusCode()).isEqualTo(200);
        }
        long entries = 3L * retries;

        HttpResponse<String> first = http.get("jobs/" + id + "/history");
        String next = first.headers().firstValue("Link").orElseThrow();
        HttpResponse<String> second = http.send(http.request("jobs/" + id + "/history?after=100&limit=100").GET());
        HttpResponse<String> small = http.get("jobs/" + id + "/history?after=7&limit=5");

        assertThat(versions(first)).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(next).endsWith("/api/jobs/" + id + "/history?after=100&limit=100>; rel=\"next\"");
        assertThat(versions(second)).containsExactlyElementsOf(LongStream.rangeClosed(101, entries).boxed().toList());
        assertThat(second.headers().firstValue("Link")).isEmpty();
        assertThat(versions(small)).containsExactly(8L, 9L, 10L, 11L, 12L);
        assertThat(small.headers().firstValue("Link")).hasValueSatisfying(link -> assertThat(link).contains("after=12&limit=5"));
        for (String bad : new String[] {"limit=0", "limit=1001", "after=-1", "after=x", "limit=2.5"}) {
            assertProblem(http.get("jobs/" + id + "/history?" + bad), 400);
        }
        assertProblem(http.get("jobs/00000000-0000-0000-0000-000000000000/history?limit=5"), 404);
    }

    private static List<Long> versions(HttpResponse<String> history) {
        assertThat(history.statusCode()).isEqualTo(200);
        return Json.createReader(new StringReader(history.body())).readArray().stream()
                .map(entry -> entry.asJsonObject().getJsonNumber("version").longValue()).toList();
    }

    @Test
    void badInputGetsAProblemAndNeverA500() {
        Http http = new Http(base);

        assertProblem(http.get("jobs/not-a-uuid"), 404);
        assertProblem(http.get("jobs/00000000-0000-0000-0000-000000000000"), 404);
        assertProblem(http.postJson("jobs", "{not json"), 400);
        assertProblem(http.postJson("jobs", "[1, 2]"), 400);
        assertProblem(http.postJson("jobs", ""), 400);
        assertProblem(http.postJson("jobs", "{\"type\": 5}"), 400);
        assertProblem(http.postJson("jobs", "{\"type\": \"x\", \"surprise\": 1}"), 400);
        assertProblem(http.send(http.request("jobs").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))), 415);
        String id = object(http.postJson("jobs", "{\"type\": \"build\"}")).getString("id");
        assertProblem(http.postJson("jobs/" + id + "/transitions", "{\"to\": \"SLEEPING\"}"), 400);
        assertProblem(http.postJson("jobs/" + id + "/transitions", "{\"to\": \"COMPLETED\"}"), 409);
    }

    static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(object(response).getInt("status")).isEqualTo(status);
    }

    static JsonObject object(HttpResponse<String> response) {
        JsonStructure json = Json.createReader(new StringReader(response.body())).read();
        return json.asJsonObject();
    }
}
