package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.persistence.testing.WrittenEvents;
import io.jobstate.testing.postgres.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.assertj.core.api.SoftAssertions;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Malformed, oversized, mistyped and hostile requests: each gets its exact 4xx as
 * application/problem+json, and none of them changes anything in the database.
 */
class HostileInputIT extends LibertyTest {

    private static final Logger LOG = Logger.getLogger(HostileInputIT.class.getName());

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate();
    }

    /** One hostile request and the status it must get. */
    private record Case(String name, int status, HttpRequest.Builder request) {
    }

    @Test
    void everyHostileRequestGetsItsExactProblemAndWritesNothing(TestDatabase database) throws Exception {
        Http http = new Http(base);
        HttpResponse<String> created = http.postJson("jobs", "{\"type\": \"target\"}");
        String id = Json.createReader(new StringReader(created.body())).readObject().getString("id");
        String before = http.get("jobs/" + id).body();
        List<Case> cases = cases(http, id);
        String counts = counts(database);

        SoftAssertions softly = new SoftAssertions();
        for (Case hostile : cases) {
            HttpResponse<String> response = http.send(hostile.request());
            softly.assertThat(response.statusCode()).as(hostile.name() + " -> " + response.body()).isEqualTo(hostile.status());
            softly.assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .as(hostile.name() + " content type").startsWith("application/problem+json");
            if (response.body().startsWith("{")) {
                JsonObject problem = Json.createReader(new StringReader(response.body())).readObject();
                softly.assertThat(problem.getInt("status", -1)).as(hostile.name() + " problem status").isEqualTo(hostile.status());
            } else {
                softly.fail(hostile.name() + ": no problem body: " + response.body());
            }
            softly.assertThat(counts(database)).as(hostile.name() + " changed the database").isEqualTo(counts);
        }
        softly.assertThat(http.get("jobs/" + id).body()).as("the target job").isEqualTo(before);
        assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
        softly.assertAll();
        LOG.info(() -> "hostile input battery: " + cases.size() + " requests, all answered with their 4xx, database unchanged");
    }

    private static List<Case> cases(Http http, String id) {
        List<Case> cases = new ArrayList<>();
        String jobs = "jobs";
        String transitions = "jobs/" + id + "/transitions";
        String progress = "jobs/" + id + "/progress";
        // creation: syntax
        post(cases, http, "malformed", 400, jobs, "{not json");
        post(cases, http, "empty body", 400, jobs, "");
        post(cases, http, "array", 400, jobs, "[]");
        post(cases, http, "string", 400, jobs, "\"build\"");
        post(cases, http, "null", 400, jobs, "null");
        post(cases, http, "number", 400, jobs, "42");
        post(cases, http, "trailing garbage", 400, jobs, "{\"type\": \"x\"} trailing");
        post(cases, http, "duplicated field", 400, jobs, "{\"type\": \"x\", \"type\": \"y\"}");
        post(cases, http, "nested too deep", 400, jobs, "{\"type\": \"x\", \"payload\": " + "{\"a\": ".repeat(100) + "1" + "}".repeat(100) + "}");
        // creation: fields
        post(cases, http, "no type", 400, jobs, "{}");
        post(cases, http, "null type", 400, jobs, "{\"type\": null}");
        post(cases, http, "numeric type", 400, jobs, "{\"type\": 5}");
        post(cases, http, "boolean type", 400, jobs, "{\"type\": true}");
        post(cases, http, "empty type", 400, jobs, "{\"type\": \"\"}");
        post(cases, http, "blank type", 400, jobs, "{\"type\": \"   \"}");
        post(cases, http, "type of 101 chars", 400, jobs, "{\"type\": \"" + "t".repeat(101) + "\"}");
        post(cases, http, "NUL in type", 400, jobs, "{\"type\": \"a\\u0000b\"}");
        post(cases, http, "lone surrogate in type", 400, jobs, "{\"type\": \"\\uD800\"}");
        post(cases, http, "numeric payload", 400, jobs, "{\"type\": \"x\", \"payload\": 5}");
        post(cases, http, "array payload", 400, jobs, "{\"type\": \"x\", \"payload\": [1]}");
        post(cases, http, "string payload", 400, jobs, "{\"type\": \"x\", \"payload\": \"s\"}");
        post(cases, http, "NUL escape in payload", 400, jobs, "{\"type\": \"x\", \"payload\": {\"a\": \"\\u0000\"}}");
        post(cases, http, "unknown field", 400, jobs, "{\"type\": \"x\", \"unknown\": 1}");
        cases.add(new Case("idempotency key of 201 chars", 400, json(http, jobs, "{\"type\": \"x\"}")
                .header("Idempotency-Key", "k".repeat(201))));
        // creation: size and media type
        post(cases, http, "1 MB body", 413, jobs, "{\"type\": \"x\", \"payload\": {\"a\": \"" + "x".repeat(1 << 20) + "\"}}");
        cases.add(new Case("text/plain", 415, http.request(jobs).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("type=x"))));
        cases.add(new Case("application/xml", 415, http.request(jobs).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<job type=\"x\"/>"))));
        cases.add(new Case("no content type", 415, http.request(jobs)
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"x\"}"))));
        post(cases, http, "number of 1,200 digits", 400, jobs, "{\"type\": \"x\", \"payload\": {\"n\": 1" + "0".repeat(1200) + "}}");
        post(cases, http, "huge exponent", 400, jobs, "{\"type\": \"x\", \"payload\": {\"n\": 1e2147483648}}");
        post(cases, http, "tiny exponent", 400, jobs, "{\"type\": \"x\", \"payload\": {\"n\": 1e-200000}}");
        cases.add(new Case("latin-1 charset", 415, http.request(jobs).header("Content-Type", "application/json; charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"x\"}"))));
        cases.add(new Case("unknown charset", 415, http.request(jobs).header("Content-Type", "application/json; charset=bogus")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"x\"}"))));
        cases.add(new Case("bytes that are not UTF-8", 400, http.request(jobs).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, '"', '}'}))));
        cases.add(new Case("chunked body over 64 KiB", 413, http.request(jobs).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        ("{\"type\": \"x\", \"payload\": {\"a\": \"" + "x".repeat(100_000) + "\"}}").getBytes(StandardCharsets.UTF_8))))));
        cases.add(new Case("GET with a stale If-Match", 412, http.request("jobs/" + id).header("If-Match", "\"9\"").GET()));
        // transitions: fields
        post(cases, http, "no target", 400, transitions, "{}");
        post(cases, http, "unknown status", 400, transitions, "{\"to\": \"SLEEPING\"}");
        post(cases, http, "lower-case status", 400, transitions, "{\"to\": \"running\"}");
        post(cases, http, "numeric status", 400, transitions, "{\"to\": 3}");
        post(cases, http, "to PENDING", 400, transitions, "{\"to\": \"PENDING\"}");
        post(cases, http, "duplicated target", 400, transitions, "{\"to\": \"RUNNING\", \"to\": \"CANCELLED\"}");
        post(cases, http, "version as string", 400, transitions, "{\"to\": \"RUNNING\", \"expectedVersion\": \"0\"}");
        post(cases, http, "fractional version", 400, transitions, "{\"to\": \"RUNNING\", \"expectedVersion\": 0.5}");
        post(cases, http, "negative version", 400, transitions, "{\"to\": \"RUNNING\", \"expectedVersion\": -1}");
        post(cases, http, "huge version", 400, transitions, "{\"to\": \"RUNNING\", \"expectedVersion\": 99999999999999999999999}");
        post(cases, http, "exponent version", 400, transitions, "{\"to\": \"RUNNING\", \"expectedVersion\": 1e40}");
        post(cases, http, "unknown expected status", 400, transitions, "{\"to\": \"RUNNING\", \"expectedStatus\": \"NOPE\"}");
        post(cases, http, "result without COMPLETED", 400, transitions, "{\"to\": \"RUNNING\", \"result\": {\"a\": 1}}");
        post(cases, http, "error without FAILED", 400, transitions, "{\"to\": \"RUNNING\", \"error\": \"x\"}");
        post(cases, http, "numeric error", 400, transitions, "{\"to\": \"FAILED\", \"error\": 5}");
        post(cases, http, "result with a number of 1,200 digits", 400, transitions,
                "{\"to\": \"COMPLETED\", \"result\": {\"n\": 1e1200}}");
        post(cases, http, "reason of 1001 chars", 400, transitions, "{\"to\": \"CANCELLED\", \"reason\": \"" + "r".repeat(1001) + "\"}");
        post(cases, http, "SQL-looking reason on COMPLETED", 400, transitions,
                "{\"to\": \"COMPLETED\", \"reason\": \"Robert'); DROP TABLE jobs;--\"}");
        post(cases, http, "unicode result on RUNNING", 400, transitions, "{\"to\": \"RUNNING\", \"result\": {\"名前\": \"ジョブ ✓\"}}");
        // transitions: state
        post(cases, http, "illegal PENDING -> COMPLETED", 409, transitions, "{\"to\": \"COMPLETED\"}");
        post(cases, http, "stale expected status", 409, transitions, "{\"to\": \"RUNNING\", \"expectedStatus\": \"QUEUED\"}");
        post(cases, http, "stale expected version", 409, transitions, "{\"to\": \"RUNNING\", \"expectedVersion\": 4}");
        cases.add(new Case("stale If-Match", 412, json(http, transitions, "{\"to\": \"RUNNING\"}").header("If-Match", "\"5\"")));
        cases.add(new Case("weak If-Match", 412, json(http, transitions, "{\"to\": \"RUNNING\"}").header("If-Match", "W/\"0\"")));
        cases.add(new Case("If-Match with a plus sign", 412, json(http, transitions, "{\"to\": \"RUNNING\"}").header("If-Match", "\"+0\"")));
        post(cases, http, "unknown job", 404, "jobs/00000000-0000-0000-0000-000000000000/transitions", "{\"to\": \"RUNNING\"}");
        post(cases, http, "id not a UUID", 404, "jobs/not-a-uuid/transitions", "{\"to\": \"RUNNING\"}");
        post(cases, http, "SQL-looking id", 404, "jobs/" + URLEncoder.encode("'; DROP TABLE jobs; --", StandardCharsets.UTF_8)
                .replace("+", "%20") + "/transitions", "{\"to\": \"RUNNING\"}");
        // progress
        put(cases, http, "progress 101", 400, progress, "{\"progress\": 101}");
        put(cases, http, "progress -1", 400, progress, "{\"progress\": -1}");
        put(cases, http, "progress as string", 400, progress, "{\"progress\": \"50\"}");
        put(cases, http, "fractional progress", 400, progress, "{\"progress\": 50.5}");
        put(cases, http, "no progress", 400, progress, "{}");
        put(cases, http, "progress without a Lease-Token", 400, progress, "{\"progress\": 50}");
        cases.add(new Case("progress while PENDING", 409, http.request(progress).header("Content-Type", "application/json")
                .header("Lease-Token", "some run's token").PUT(HttpRequest.BodyPublishers.ofString("{\"progress\": 50}"))));
        cases.add(new Case("heartbeat without a Lease-Token", 400, http.request("jobs/" + id + "/heartbeat")
                .POST(HttpRequest.BodyPublishers.noBody())));
        cases.add(new Case("Lease-Token of 201 characters", 400, http.request("jobs/" + id + "/heartbeat")
                .header("Lease-Token", "t".repeat(201)).POST(HttpRequest.BodyPublishers.noBody())));
        // queries and methods
        get(cases, http, "limit 0", 400, "jobs?limit=0");
        get(cases, http, "limit 501", 400, "jobs?limit=501");
        get(cases, http, "limit not a number", 400, "jobs?limit=abc");
        get(cases, http, "unknown status filter", 400, "jobs?status=NOPE");
        get(cases, http, "forged cursor", 400, "jobs?cursor=garbage");
        get(cases, http, "history of an unknown job", 404, "jobs/00000000-0000-0000-0000-000000000000/history");
        cases.add(new Case("DELETE a job", 405, http.request("jobs/" + id).DELETE()));
        // paths the servlet container refuses to decode: its error page answers with a problem
        get(cases, http, "encoded slash in a path", 400, "jobs/a%2Fb");
        get(cases, http, "encoded dot segment", 400, "jobs/..%2Fjobs");
        get(cases, http, "overlong UTF-8 in a path", 400, "jobs/%C0%80");
        get(cases, http, "unknown path under /api", 404, "nothing-here");
        cases.add(new Case("PUT the collection", 405, json(http, jobs, "{}").method("PUT", HttpRequest.BodyPublishers.ofString("{}"))));
        return cases;
    }

    private static HttpRequest.Builder json(Http http, String path, String body) {
        return http.request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static void post(List<Case> cases, Http http, String name, int status, String path, String body) {
        cases.add(new Case(name, status, json(http, path, body)));
    }

    private static void put(List<Case> cases, Http http, String name, int status, String path, String body) {
        cases.add(new Case(name, status, http.request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))));
    }

    private static void get(List<Case> cases, Http http, String name, int status, String path) {
        cases.add(new Case(name, status, http.request(path).GET()));
    }

    /**
     * Rows in every table the API writes, as one comparable line. The lease reaper writes on its own
     * (earlier tests leave RUNNING jobs whose leases run out): its transitions are left out.
     */
    private static String counts(TestDatabase database) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT (SELECT count(*) FROM jobs),"
                     + " (SELECT count(*) FROM job_history WHERE actor IS DISTINCT FROM 'reaper'),"
                     + " (SELECT count(*) FROM " + WrittenEvents.TABLE + " e WHERE NOT EXISTS (SELECT 1 FROM job_history h"
                     + "   WHERE h.job_id = e.job_id AND h.version = e.version AND h.actor = 'reaper')),"
                     + " (SELECT max(updated_at) FROM jobs j WHERE NOT EXISTS (SELECT 1 FROM job_history h"
                     + "   WHERE h.job_id = j.id AND h.version = j.version AND h.actor = 'reaper'))")) {
            row.next();
            return row.getLong(1) + "/" + row.getLong(2) + "/" + row.getLong(3) + "/" + row.getString(4);
        }
    }
}
