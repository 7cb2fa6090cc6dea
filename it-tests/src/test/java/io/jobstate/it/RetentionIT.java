package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jobstate.testing.postgres.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Retention through a real Liberty, with retention of seconds: a finished job disappears (404, its
 * history 404, gone from the lists and the counts) while its events stay readable; PENDING, QUEUED and
 * RUNNING jobs stay; a job created with an Idempotency-Key is kept for the idempotency window, so a
 * retried creation is replayed; and an idle instance writes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetentionIT extends LibertyTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String RETENTION = "PT2S";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate("cas", Map.of(
                "jobstate.retention.completed", RETENTION,
                "jobstate.retention.cancelled", RETENTION,
                "jobstate.retention.failed", RETENTION,
                "jobstate.retention.idempotency-window", "PT60S",
                "jobstate.retention.interval", "PT0.5S",
                "jobstate.events.prune-interval", "PT0.5S"));
    }

    @Test
    @Order(2)
    void aFinishedJobDisappearsOnceItsRetentionIsOverWhileUnfinishedOnesStay(TestDatabase database) throws Exception {
        Http http = new Http(base);
        String type = "retention-" + UUID.randomUUID();
        long feedBefore = object(http.get("jobs/counts")).getJsonNumber("lastSeq").longValue();
        String completed = finished(http, type, "{\"to\": \"COMPLETED\", \"result\": {\"ok\": true}}");
        String failed = finished(http, type, "{\"to\": \"FAILED\", \"error\": \"exit 3\"}");
        String cancelled = created(http, type);
        transition(http, cancelled, "{\"to\": \"CANCELLED\"}", null);
        String pending = created(http, type);
        String queued = created(http, type);
        transition(http, queued, "{\"to\": \"QUEUED\"}", null);
        String running = created(http, type);
        transition(http, running, "{\"to\": \"RUNNING\", \"leaseSeconds\": 600}", null);

        // the retention passes run every half second: each finished job goes two seconds after it finished
        for (String gone : List.of(completed, failed, cancelled)) {
            await().atMost(PATIENCE).until(() -> http.get("jobs/" + gone).statusCode() == 404);
        }

        for (String gone : List.of(completed, failed, cancelled)) {
            JobsApiContract.assertProblem(http.get("jobs/" + gone), 404);
            JobsApiContract.assertProblem(http.get("jobs/" + gone + "/history"), 404);
            JobsApiContract.assertProblem(http.send(http.request("jobs/" + gone + "/events/stream")
                    .header("Accept", "text/event-stream").GET()), 404);
        }
        assertThat(listed(http, type)).containsExactlyInAnyOrder(pending, queued, running);
        for (String kept : List.of(pending, queued, running)) {
            assertThat(http.get("jobs/" + kept).statusCode()).isEqualTo(200);
        }
        // the events of the pruned jobs are still in the feed, until the feed's own retention
        String feed = http.get("events?after=" + feedBefore + "&limit=1000").body();
        for (String gone : List.of(completed, failed, cancelled)) {
            assertThat(feed).contains(gone);
        }
        // compared once nothing is being pruned any more (earlier tests' jobs too), so that both reads see the same jobs
        await().atMost(PATIENCE).until(() -> nothingDue(database));
        assertCountsEqualTheTable(http, database);
        HttpResponse<String> metrics = Http.metrics(base);
        assertThat(Http.counter(metrics, "jobstate_jobs_pruned_total", "status=\"COMPLETED\"")).isGreaterThanOrEqualTo(1);
        assertThat(Http.counter(metrics, "jobstate_jobs_pruned_total", "status=\"FAILED\"")).isGreaterThanOrEqualTo(1);
        assertThat(Http.counter(metrics, "jobstate_jobs_pruned_total", "status=\"CANCELLED\"")).isGreaterThanOrEqualTo(1);
        assertThat(Http.counter(metrics, "jobstate_retention_pass_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(metrics.body()).contains("jobstate_retention_oldest_finished_age_seconds{");
    }

    @Test
    @Order(3)
    void aJobCreatedWithAKeyIsKeptForTheIdempotencyWindowAndARetriedCreationIsReplayed() {
        Http http = new Http(base);
        String type = "retention-keyed-" + UUID.randomUUID();
        String body = "{\"type\": \"" + type + "\"}";
        String key = "create-" + UUID.randomUUID();
        String keyed = object(createWithKey(http, body, key)).getString("id");
        String unkeyed = created(http, type);
        for (String id : List.of(keyed, unkeyed)) {
            transition(http, id, "{\"to\": \"CANCELLED\"}", null);
        }

        await().atMost(PATIENCE).until(() -> http.get("jobs/" + unkeyed).statusCode() == 404);
        HttpResponse<String> retried = createWithKey(http, body, key);

        assertThat(http.get("jobs/" + keyed).statusCode()).as("within the 60 s window").isEqualTo(200);
        assertThat(retried.statusCode()).isEqualTo(201);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(object(retried).getString("id")).isEqualTo(keyed);
    }

    /** First: the keyed job of the test above would keep the instance busy for its window (60 s). */
    @Test
    @Order(1)
    void anIdleInstanceWritesNothing(TestDatabase database) throws Exception {
        Http http = new Http(base);
        // first, whatever earlier test classes left is worked off: finished jobs pruned, runs reaped, events numbered
        await().atMost(PATIENCE.multipliedBy(2)).until(() -> pendingWork(database) == 0);
        String before = writes(database);
        double passes = retentionPasses();

        // an observation window counted in the instance's own passes: four retention passes (every 0.5 s), and
        // meanwhile as many publisher ticks, event retention passes and reaper rounds
        await().atMost(PATIENCE).until(() -> retentionPasses() >= passes + 4);

        assertThat(writes(database)).as("what the database holds that any write would change").isEqualTo(before);
        assertThat(http.get("jobs/counts").statusCode()).isEqualTo(200);
    }

    /** What any write of the service would change: the feed's row and the count slots (their row versions), the tables' sizes. */
    private static String writes(TestDatabase database) throws SQLException {
        return single(database, "SELECT (SELECT xmin || '/' || xmax || '/' || ctid || '/' || last_seq || '/' || pruned_through FROM event_feed)"
                + " || ' ' || (SELECT string_agg(xmin::text, ',' ORDER BY slot) FROM job_status_counts)"
                + " || ' ' || (SELECT count(*) || '/' || coalesce(max(xmin::text::bigint), 0) FROM jobs)"
                + " || ' ' || (SELECT count(*) FROM job_history) || ' ' || (SELECT count(*) FROM job_events)"
                + " || '/' || (SELECT count(*) FROM event_outbox)");
    }

    /**
     * What the instance has to do now or soon: finished jobs (every one is pruned, within the idempotency
     * window at the latest), leases that expire within the default lease length (earlier tests' runs), and
     * events to number.
     */
    private static long pendingWork(TestDatabase database) throws SQLException {
        return Long.parseLong(single(database, "SELECT (SELECT count(*) FROM jobs WHERE finished_at IS NOT NULL"
                + " OR (status = 'RUNNING' AND lease_expires_at < now() + interval '35 seconds'))"
                + " + (SELECT count(*) FROM event_outbox)"));
    }

    /** No finished job past its retention (without a key: 2 s) and no expired lease: nothing is being pruned or reaped now. */
    private static boolean nothingDue(TestDatabase database) throws SQLException {
        return single(database, "SELECT count(*) FROM jobs WHERE (finished_at < now() - interval '3 seconds'"
                + " AND idempotency_key IS NULL) OR (status = 'RUNNING' AND lease_expires_at < now())").equals("0");
    }

    private double retentionPasses() {
        return Http.counter(Http.metrics(base), "jobstate_retention_pass_seconds_count");
    }

    private static String single(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    /** GET /api/jobs/counts equals the jobs table, status by status. */
    private static void assertCountsEqualTheTable(Http http, TestDatabase database) throws SQLException {
        JsonObject counts = object(http.get("jobs/counts")).getJsonObject("counts");
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT status, count(*) FROM jobs GROUP BY status")) {
            Map<String, Long> table = new HashMap<>();
            while (rows.next()) {
                table.put(rows.getString(1), rows.getLong(2));
            }
            counts.forEach((status, count) -> assertThat(((JsonNumber) count).longValue())
                    .as(status).isEqualTo(table.getOrDefault(status, 0L)));
        }
    }

    private static List<String> listed(Http http, String type) {
        return Json.createReader(new StringReader(http.get("jobs?type=" + type + "&limit=500").body())).readObject()
                .getJsonArray("items").stream().map(JsonValue::asJsonObject).map(job -> job.getString("id")).toList();
    }

    private static String finished(Http http, String type, String finish) {
        String id = created(http, type);
        String lease = object(transition(http, id, "{\"to\": \"RUNNING\"}", null)).getString("leaseToken");
        assertThat(transition(http, id, finish, lease).statusCode()).isEqualTo(200);
        return id;
    }

    private static String created(Http http, String type) {
        HttpResponse<String> created = http.postJson("jobs", "{\"type\": \"" + type + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return object(created).getString("id");
    }

    private static HttpResponse<String> createWithKey(Http http, String body, String key) {
        return http.send(http.request("jobs").header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> transition(Http http, String id, String body, String leaseToken) {
        HttpRequest.Builder request = http.request("jobs/" + id + "/transitions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(leaseToken == null ? request : request.header("Lease-Token", leaseToken));
    }

    private static JsonObject object(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }
}
