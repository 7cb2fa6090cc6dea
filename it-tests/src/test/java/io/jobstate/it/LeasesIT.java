package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Leases through a real Liberty: granted by RUNNING, fencing, heartbeats, and the server's own reaper. */
class LeasesIT extends LibertyTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate();
    }

    @Test
    void runningGrantsALeaseOfTheAskedLengthAndOnlyRunningMayAskOne() {
        Http http = new Http(base);
        String id = created(http);

        JsonObject running = object(transition(http, id, "{\"to\": \"RUNNING\", \"leaseSeconds\": 90}", null));

        assertThat(running.getString("leaseToken")).isNotBlank();
        assertThat(Duration.between(Instant.parse(running.getString("updatedAt")), Instant.parse(running.getString("leaseExpiresAt"))))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(object(http.get("jobs/" + id)).getString("leaseToken")).isEqualTo(running.getString("leaseToken"));
        for (String bad : new String[] {"{\"to\": \"RUNNING\", \"leaseSeconds\": 0}", "{\"to\": \"QUEUED\", \"leaseSeconds\": 30}",
                "{\"to\": \"RUNNING\", \"leaseSeconds\": \"long\"}"}) {
            HttpResponse<String> refused = transition(http, created(http), bad, null);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    @Test
    void finishingARunningJobNeedsItsLeaseTokenAndCancellingDoesNot() {
        Http http = new Http(base);
        String id = created(http);
        String lease = object(transition(http, id, "{\"to\": \"RUNNING\"}", null)).getString("leaseToken");

        for (String token : new String[] {null, "not-this-run"}) {
            HttpResponse<String> refused = transition(http, id, "{\"to\": \"COMPLETED\"}", token);
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(object(refused).getString("conflictReason")).isEqualTo("LEASE_MISMATCH");
            assertThat(object(refused).getString("currentStatus")).isEqualTo("RUNNING");
        }
        JsonObject completed = object(transition(http, id, "{\"to\": \"COMPLETED\", \"result\": {\"ok\": true}}", lease));
        assertThat(completed.getString("status")).isEqualTo("COMPLETED");
        assertThat(completed.isNull("leaseToken")).isTrue();

        String other = created(http);
        transition(http, other, "{\"to\": \"RUNNING\"}", null);
        assertThat(transition(http, other, "{\"to\": \"CANCELLED\"}", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aHeartbeatRenewsOnlyTheCurrentRunsLease() {
        Http http = new Http(base);
        String id = created(http);
        JsonObject running = object(transition(http, id, "{\"to\": \"RUNNING\", \"leaseSeconds\": 60}", null));
        String lease = running.getString("leaseToken");

        HttpResponse<String> renewed = heartbeat(http, id, lease);
        HttpResponse<String> foreign = heartbeat(http, id, "not-this-run");
        HttpResponse<String> missing = http.send(http.request("jobs/" + id + "/heartbeat").POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(renewed.statusCode()).isEqualTo(200);
        assertThat(Instant.parse(object(renewed).getString("leaseExpiresAt")))
                .isAfter(Instant.parse(running.getString("leaseExpiresAt")));
        assertThat(object(renewed).getInt("version")).isEqualTo(running.getInt("version"));
        assertThat(foreign.statusCode()).isEqualTo(409);
        assertThat(object(foreign).getString("conflictReason")).isEqualTo("LEASE_MISMATCH");
        assertThat(missing.statusCode()).isEqualTo(400);
        transition(http, id, "{\"to\": \"CANCELLED\"}", null);
        HttpResponse<String> notRunning = heartbeat(http, id, lease);
        assertThat(notRunning.statusCode()).isEqualTo(409);
        assertThat(object(notRunning).getString("conflictReason")).isEqualTo("NOT_RUNNING");
        assertThat(heartbeat(http, new java.util.UUID(0, 9).toString(), lease).statusCode()).isEqualTo(404);
    }

    @Test
    void theServersReaperFailsAnExpiredLeaseAndTheZombieCannotTouchTheNextRun() {
        Http http = new Http(base);
        String id = created(http);
        String zombie = object(transition(http, id, "{\"to\": \"RUNNING\", \"leaseSeconds\": 1}", null)).getString("leaseToken");

        // the worker stalls; the reaper (every 0.25 s in this server) takes the job once the second is over
        JsonObject reaped = await().atMost(PATIENCE).until(() -> object(http.get("jobs/" + id)),
                job -> job.getString("status").equals("FAILED"));

        assertThat(reaped.getString("error")).isEqualTo("lease expired");
        JsonArray history = Json.createReader(new StringReader(http.get("jobs/" + id + "/history").body())).readArray();
        assertThat(history.getJsonObject(1).getString("actor")).isEqualTo("reaper");
        assertThat(history.getJsonObject(0).getString("actor")).isEqualTo("it-tests");
        transition(http, id, "{\"to\": \"QUEUED\"}", null);
        JsonObject secondRun = object(transition(http, id, "{\"to\": \"RUNNING\", \"leaseSeconds\": 60}", null));

        HttpResponse<String> late = transition(http, id, "{\"to\": \"COMPLETED\", \"result\": {\"stale\": true}}", zombie);

        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(object(late).getString("conflictReason")).isEqualTo("LEASE_MISMATCH");
        JsonObject job = object(http.get("jobs/" + id));
        assertThat(job.getString("status")).isEqualTo("RUNNING");
        assertThat(job.getString("leaseToken")).isEqualTo(secondRun.getString("leaseToken"));
        assertThat(job.isNull("result")).isTrue();
        assertThat(Http.counter(Http.metrics(base), "jobstate_leases_reaped_total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aReplayedStartHandsBackItsOwnRunsTokenAndTheWorkerLearnsFromTheConflictThatTheRunIsOver() {
        Http http = new Http(base);
        String id = created(http);
        String start = "{\"to\": \"RUNNING\"}";
        JsonObject original = object(transitionWithKey(http, id, start, "start-1"));
        String first = original.getString("leaseToken");

        HttpResponse<String> sameRun = transitionWithKey(http, id, start, "start-1");
        transition(http, id, "{\"to\": \"FAILED\", \"error\": \"lost\"}", first);
        transition(http, id, "{\"to\": \"QUEUED\"}", null);
        String second = object(transition(http, id, start, null)).getString("leaseToken");
        HttpResponse<String> laterRun = transitionWithKey(http, id, start, "start-1");
        HttpResponse<String> zombieFinish = transition(http, id, "{\"to\": \"COMPLETED\"}",
                object(laterRun).getString("leaseToken"));

        assertThat(sameRun.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(object(sameRun)).isEqualTo(original);
        assertThat(laterRun.statusCode()).isEqualTo(200);
        assertThat(laterRun.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(laterRun.headers().firstValue("ETag")).hasValue("\"1\"");
        assertThat(object(laterRun)).as("the answer the original got, not the job now (second run %s)", second)
                .isEqualTo(original);
        assertThat(zombieFinish.statusCode()).isEqualTo(409);
        assertThat(object(zombieFinish).getString("conflictReason")).isEqualTo("LEASE_MISMATCH");
        assertThat(object(http.get("jobs/" + id)).getString("leaseToken")).isEqualTo(second);
    }

    private static HttpResponse<String> transitionWithKey(Http http, String id, String body, String key) {
        return http.send(http.request("jobs/" + id + "/transitions").header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> transition(Http http, String id, String body, String leaseToken) {
        HttpRequest.Builder request = http.request("jobs/" + id + "/transitions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(leaseToken == null ? request : request.header("Lease-Token", leaseToken));
    }

    private static HttpResponse<String> heartbeat(Http http, String id, String leaseToken) {
        return http.send(http.request("jobs/" + id + "/heartbeat").header("Lease-Token", leaseToken)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static String created(Http http) {
        HttpResponse<String> created = http.postJson("jobs", "{\"type\": \"leases-it\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return object(created).getString("id");
    }

    private static JsonObject object(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isLessThan(500);
        return Json.createReader(new StringReader(response.body())).readObject();
    }
}
