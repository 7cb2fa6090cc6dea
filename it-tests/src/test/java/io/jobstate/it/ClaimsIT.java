package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.client.api.ClaimRequest;
import io.jobstate.client.auth.BearerToken;
import io.jobstate.client.coordinator.JobWorker;
import io.jobstate.client.testing.ClientContainer;
import io.jobstate.it.storm.SecondLiberty;
import io.jobstate.persistence.testing.WrittenEvents;
import io.jobstate.testing.postgres.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Claims through two instances on one database: a fleet draining a queue, long polls woken from the
 * other instance, the line's bound, replays and the problems. Each test leaves none of its jobs QUEUED.
 */
class ClaimsIT extends LibertyTest {

    private static final Logger LOG = Logger.getLogger(ClaimsIT.class.getName());
    private static final List<String> TYPES = List.of("claims-it-a", "claims-it-b", "claims-it-c");
    private static final int MAX_WAITERS_ON_SECOND = 6;
    private static SecondLiberty second;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate("cas");
    }

    @BeforeAll
    static void startSecondInstance() {
        second = SecondLiberty.start(Deployments.jobstate("cas"), "claims",
                Map.of("jobstate.claims.max-waiters", String.valueOf(MAX_WAITERS_ON_SECOND)));
    }

    @AfterAll
    static void stopSecondInstance() throws InterruptedException {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void sixtyFourClaimersOnTwoInstancesTakeEveryQueuedJobOnceWithoutAConflictOldestFirstWithinTheirTypes(TestDatabase database)
            throws Exception {
        List<Http> instances = List.of(new Http(base), new Http(secondBase()));
        List<String> ids = queue(instances, 5_000, TYPES);
        List<String> order = queueOrder(database, ids);
        Map<String, String> typeOf = types(database, ids);
        int claimers = 64;
        List<List<String>> asked = new ArrayList<>();
        for (int i = 0; i < claimers; i++) {
            asked.add(i % 4 == 3 ? List.of() : List.of(TYPES.get(i % 3)));
        }
        Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Integer> unavailable = new java.util.concurrent.ConcurrentHashMap<>();

        List<List<String>> claimedBy = assertTimeoutPreemptively(Duration.ofMinutes(5), () -> {
            ExecutorService pool = Executors.newFixedThreadPool(claimers);
            try {
                List<Future<List<String>>> futures = new ArrayList<>();
                for (int i = 0; i < claimers; i++) {
                    Http http = instances.get(i % 2);
                    // leases that outlast the test on a loaded machine: the reaper must not add history to check
                    String body = body(asked.get(i), 0).replace("{", "{\"leaseSeconds\":3600,");
                    futures.add(pool.submit(() -> {
                        List<String> mine = new ArrayList<>();
                        String key = UUID.randomUUID().toString();
                        while (true) {
                            HttpResponse<String> answer = claim(http, body, key);
                            statuses.merge(answer.statusCode(), 1, Integer::sum);
                            if (answer.statusCode() == 503) {
                                // a bound of a loaded machine: retried as a client must, after Retry-After, with the same key
                                unavailable.merge(json(answer).getString("unavailableReason"), 1, Integer::sum);
                                Thread.sleep(1000L * Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow()));
                                continue;
                            }
                            if (answer.statusCode() != 200) {
                                return mine;
                            }
                            mine.add(json(answer).getString("id"));
                            key = UUID.randomUUID().toString();
                        }
                    }));
                }
                List<List<String>> results = new ArrayList<>();
                for (Future<List<String>> future : futures) {
                    results.add(future.get());
                }
                return results;
            } finally {
                pool.shutdownNow();
            }
        });

        // never a conflict; a 503 only from a bound on a wait (the database is up), each retried
        assertThat(statuses.keySet()).as("answers: %s", statuses).isSubsetOf(200, 204, 503).contains(200, 204);
        assertThat(unavailable.keySet()).as("503s: %s", unavailable)
                .isSubsetOf("POOL_WAIT", "STATEMENT_TIMEOUT", "LOCK_WAIT", "DATABASE_TIMEOUT");
        // the claimers of any type also take what earlier test classes left QUEUED in the suite's shared
        // database (older than this test's jobs, so first): each of those once too, and the checks of
        // order and types are over this test's jobs
        Set<String> own = new HashSet<>(ids);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < claimers; i++) {
            List<String> mine = claimedBy.get(i);
            all.addAll(mine);
            List<String> types = asked.get(i);
            assertThat(mine).as("claimer %d's types", i).allMatch(id -> types.isEmpty() || types.contains(typeOf.get(id)));
            assertThat(mine.stream().filter(own::contains).map(order::indexOf).toList()).as("claimer %d oldest first", i)
                    .isSorted();
        }
        assertThat(all).doesNotHaveDuplicates();
        assertThat(all.stream().filter(own::contains).toList()).containsExactlyInAnyOrderElementsOf(ids);
        try (Connection db = database.connect()) {
            // exactly one claim per job in the history, with its event, and nothing else since it was queued
            assertThat(count(db, "SELECT count(*) FROM job_history WHERE job_id::text = ANY (?) AND reason = 'claimed'"
                    + " AND from_status = 'QUEUED' AND to_status = 'RUNNING' AND version = 2", ids)).isEqualTo(ids.size());
            assertThat(count(db, "SELECT count(*) FROM job_history WHERE job_id::text = ANY (?)", ids)).isEqualTo(2L * ids.size());
            assertThat(count(db, "SELECT count(*) FROM " + WrittenEvents.TABLE + " e WHERE job_id::text = ANY (?) AND to_status = 'RUNNING'", ids))
                    .isEqualTo(ids.size());
            assertThat(count(db, "SELECT count(*) FROM jobs WHERE id::text = ANY (?) AND status = 'RUNNING' AND version = 2", ids))
                    .isEqualTo(ids.size());
        }
        LOG.info(() -> "64 claimers over two instances: jobs=" + ids.size() + " answers=" + statuses + " 503s=" + unavailable);
    }

    @Test
    void aJobQueuedOnOneInstanceWakesOneClaimWaitingOnTheOtherWithinAHundredMilliseconds(TestDatabase database) throws Exception {
        Http waitingOn = new Http(base);
        Http queuingOn = new Http(secondBase());
        int waiting = 4;
        int rounds = 10;
        String type = "claims-it-wake";
        List<Long> wakeMillis = new ArrayList<>();
        List<Long> queuedToClaimedMillis = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(waiting);
        try {
            double attempts = attempts(base);
            List<Future<HttpResponse<String>>> parked = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                parked.add(pool.submit(() -> claim(waitingOn, body(List.of(type), 20), null)));
            }
            for (int round = 0; round < rounds; round++) {
                // first every claim is parked (its first claim made, in the line), then the job comes
                double expected = attempts + (round == 0 ? waiting : 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> gauge(base, "jobstate_claim_waiters") == waiting
                        && attempts(base) == expected);
                attempts = expected;
                String id = created(queuingOn, type);
                long queuedAt = System.nanoTime();
                assertThat(queuingOn.postJson("jobs/" + id + "/transitions", "{\"to\":\"QUEUED\"}").statusCode()).isEqualTo(200);
                Future<HttpResponse<String>> woken = firstDone(parked);
                HttpResponse<String> answer = woken.get();
                long millis = (System.nanoTime() - queuedAt) / 1_000_000;
                wakeMillis.add(millis);
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(json(answer).getString("id")).isEqualTo(id);
                queuedToClaimedMillis.add(queuedToClaimed(database, id));
                // one job, one claim statement: the other waiters stayed parked
                assertThat(attempts(base) - attempts).as("round %d: claim statements run for one job", round).isEqualTo(1);
                assertThat(parked.stream().filter(Future::isDone).count()).isEqualTo(1);
                attempts += 1;
                parked.remove(woken);
                parked.add(pool.submit(() -> claim(waitingOn, body(List.of(type), 20), null)));
            }
            double parkedAgain = attempts + 1;
            await().atMost(Duration.ofSeconds(30)).until(() -> gauge(base, "jobstate_claim_waiters") == waiting
                    && attempts(base) == parkedAgain);
            // the last waiters get a job each, as many jobs as waiters
            for (int i = 0; i < waiting; i++) {
                String id = created(queuingOn, type);
                assertThat(queuingOn.postJson("jobs/" + id + "/transitions", "{\"to\":\"QUEUED\"}").statusCode()).isEqualTo(200);
            }
            for (Future<HttpResponse<String>> claim : parked) {
                assertThat(claim.get().statusCode()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        Collections.sort(wakeMillis);
        Collections.sort(queuedToClaimedMillis);
        LOG.info(() -> "wake-up from a job queued on the other instance (shared machine), ms: queued to claimed on the database"
                + " clock " + queuedToClaimedMillis + "; test's request to claim's answer, both checked against the document "
                + wakeMillis);
        // the service's part: from the commit of QUEUED to the claim's statement (the client's checks are not the service's)
        assertThat(queuedToClaimedMillis.get(rounds / 2)).as("median wake-up, ms: %s", queuedToClaimedMillis).isLessThan(100);
    }

    @Test
    void aWaitingClaimBeyondTheLineGets503AndAClaimWithoutWaitIsNeverRefused() throws Exception {
        Http http = new Http(secondBase());
        ExecutorService pool = Executors.newFixedThreadPool(MAX_WAITERS_ON_SECOND);
        try {
            List<Future<HttpResponse<String>>> parked = new ArrayList<>();
            for (int i = 0; i < MAX_WAITERS_ON_SECOND; i++) {
                parked.add(pool.submit(() -> claim(http, body(List.of("claims-it-line"), 5), null)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> gauge(secondBase(), "jobstate_claim_waiters") == MAX_WAITERS_ON_SECOND);

            HttpResponse<String> refused = claim(http, body(List.of("claims-it-line"), 5), null);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(json(refused).getString("unavailableReason")).isEqualTo("CLAIM_WAITERS");
            assertThat(claim(http, body(List.of("claims-it-line"), 0), null).statusCode()).isEqualTo(204);
            for (Future<HttpResponse<String>> claim : parked) {
                assertThat(claim.get().statusCode()).isEqualTo(204);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRetriedClaimGetsTheSameJobAndLeaseAndAKeyUsedForAnotherClaimConflicts() throws Exception {
        Http http = new Http(base);
        Http other = new Http(secondBase());
        List<String> ids = queue(List.of(http), 2, List.of("claims-it-replay"));
        String key = "claim-" + UUID.randomUUID();

        HttpResponse<String> first = claim(http, body(List.of("claims-it-replay"), 0), key);
        HttpResponse<String> retried = claim(other, body(List.of("claims-it-replay"), 0), key);

        assertThat(first.statusCode()).isEqualTo(200);
        String claimed = json(first).getString("id");
        assertThat(ids).contains(claimed);
        assertThat(first.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/jobs/" + claimed));
        assertThat(first.headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json(retried).getString("id")).isEqualTo(claimed);
        assertThat(json(retried).getJsonObject("lease")).isEqualTo(json(first).getJsonObject("lease"));
        HttpResponse<String> reused = claim(http, "{\"types\":[\"claims-it-replay\"],\"leaseSeconds\":99}", key);
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(json(reused).getString("conflictReason")).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(claim(http, body(List.of("claims-it-replay"), 0), null).statusCode()).isEqualTo(200);
    }

    @Test
    void theTypedClientsWorkerCompletesEachJobOnceAndTheRunsOfAKilledInstanceAreReapedNeverCompletedTwice(TestDatabase database)
            throws Exception {
        String type = "claims-it-worker";
        List<String> ids = queue(List.of(new Http(base)), 300, List.of(type));
        AtomicInteger handled = new AtomicInteger();
        JobWorker.Handler handler = run -> {
            handled.incrementAndGet();
            Thread.sleep(20);
            return Json.createObjectBuilder().add("job", run.jobId().toString()).build();
        };
        int reaped;
        int completed;
        try (SecondLiberty doomed = SecondLiberty.start(Deployments.jobstate("cas"), "worker", Map.of());
             ClientContainer client = client(base.toString().replace(":" + base.getPort() + "/", ":" + doomed.port() + "/"))) {
            JobWorker worker = JobWorker.start(client.coordinator(), new JobWorker.Settings(
                    ClaimRequest.of(type).withLeaseSeconds(3).waitingUpTo(2), 8, Duration.ofSeconds(1)), handler);
            await().atMost(Duration.ofMinutes(2)).until(() -> handled.get() >= 100);

            doomed.killHard();

            worker.stop(Duration.ofSeconds(5));
            // the first instance's reaper fails the runs the killed one held once their leases ran out
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
                    count(database, "SELECT count(*) FROM jobs WHERE id::text = ANY (?) AND status = 'RUNNING'", ids) == 0);
            completed = (int) count(database, "SELECT count(*) FROM jobs WHERE id::text = ANY (?) AND status = 'COMPLETED'", ids);
            reaped = (int) count(database, "SELECT count(*) FROM jobs WHERE id::text = ANY (?) AND status = 'FAILED'"
                    + " AND error = 'lease expired'", ids);
        }
        long queued = count(database, "SELECT count(*) FROM jobs WHERE id::text = ANY (?) AND status = 'QUEUED'", ids);
        // every job the worker took ended once: completed by its run, or failed by the reaper; none twice
        assertThat(count(database, "SELECT count(*) FROM (SELECT job_id FROM job_history WHERE job_id::text = ANY (?)"
                + " AND to_status = 'COMPLETED' GROUP BY job_id HAVING count(*) > 1) twice", ids)).isZero();
        assertThat(completed + reaped + queued).isEqualTo(ids.size());
        assertThat(completed).as("runs finished before the kill").isGreaterThanOrEqualTo(80);
        assertThat(count(database, "SELECT count(*) FROM job_history WHERE job_id::text = ANY (?) AND reason = 'claimed'", ids))
                .isEqualTo(completed + reaped);
        LOG.info(() -> "worker with an instance killed: jobs=" + ids.size() + " completed=" + completed + " reaped=" + reaped
                + " never claimed=" + queued);
        // what the killed instance left QUEUED is claimed through the other, and then none of the test's jobs is
        for (long i = 0; i < queued; i++) {
            assertThat(claim(new Http(base), body(List.of(type), 0), null).statusCode()).isEqualTo(200);
        }
    }

    private static ClientContainer client(String url) {
        Map<String, String> properties = new HashMap<>();
        properties.put("jobstate/mp-rest/url", url.replaceFirst("/$", ""));
        properties.put(BearerToken.TOKEN, DevTokens.forRole("coordinator"));
        properties.put("jobstate.client.retry.delay", "PT0.05S");
        // a killed instance: give up after a few attempts, as the worker claims again anyway
        properties.put(ClientContainer.RETRIES + "Retry/maxRetries", "2");
        properties.put(ClientContainer.ATTEMPTS + "CircuitBreaker/enabled", "false");
        return ClientContainer.start(properties);
    }

    private static long count(TestDatabase database, String sql, List<String> ids) throws Exception {
        try (Connection db = database.connect()) {
            return count(db, sql, ids);
        }
    }

    @Test
    void badClaimsGetProblemsAndWriteNothing() {
        Http http = new Http(base);
        for (String bad : List.of("{\"types\":\"claims-it-bad\"}", "{\"types\":[]}", "{\"types\":[1]}", "{\"waitSeconds\":31}",
                "{\"leaseSeconds\":0}", "{\"other\":1}", "[]")) {
            HttpResponse<String> answer = claim(http, bad, null);
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(http.send(http.request("jobs/claims").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode()).isEqualTo(415);
        assertThat(new Http(base, null).postJson("jobs/claims", "{}").statusCode()).isEqualTo(401);
        assertThat(new Http(base, DevTokens.forRole("viewer")).postJson("jobs/claims", "{}").statusCode()).isEqualTo(403);
    }

    private URL secondBase() {
        try {
            return java.net.URI.create(base.toString().replace(":" + base.getPort() + "/", ":" + second.port() + "/")).toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String body(List<String> types, int waitSeconds) {
        String list = types.isEmpty() ? "" : "\"types\":[" + String.join(",", types.stream().map(t -> "\"" + t + "\"").toList()) + "],";
        return "{" + list + "\"waitSeconds\":" + waitSeconds + "}";
    }

    private static HttpResponse<String> claim(Http http, String body, String key) {
        HttpRequest.Builder request = http.request("jobs/claims").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(key == null ? request : request.header("Idempotency-Key", key));
    }

    private static String created(Http http, String type) {
        HttpResponse<String> created = http.postJson("jobs", "{\"type\":\"" + type + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return json(created).getString("id");
    }

    /** {@code count} jobs, types in turn, created and queued through the instances in turn, 16 at a time. */
    private static List<String> queue(List<Http> instances, int count, List<String> types) {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        AtomicInteger next = new AtomicInteger();
        try {
            List<Future<List<String>>> parts = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                parts.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        Http http = instances.get(i % instances.size());
                        String id = created(http, types.get(i % types.size()));
                        assertThat(http.postJson("jobs/" + id + "/transitions", "{\"to\":\"QUEUED\"}").statusCode()).isEqualTo(200);
                        mine.add(id);
                    }
                    return mine;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<List<String>> part : parts) {
                ids.addAll(part.get());
            }
            return ids;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The jobs in the order they entered QUEUED by their history (time, then id: the order claims take them in). */
    private static List<String> queueOrder(TestDatabase database, List<String> ids) throws Exception {
        try (Connection db = database.connect(); PreparedStatement select = db.prepareStatement(
                "SELECT job_id::text FROM job_history WHERE job_id::text = ANY (?) AND to_status = 'QUEUED' ORDER BY at, job_id")) {
            select.setArray(1, db.createArrayOf("text", ids.toArray()));
            List<String> order = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    order.add(rows.getString(1));
                }
            }
            return order;
        }
    }

    /** From the job's entering QUEUED to its claim, on the database's clock (history times), in milliseconds. */
    private static long queuedToClaimed(TestDatabase database, String id) throws Exception {
        try (Connection db = database.connect(); PreparedStatement select = db.prepareStatement(
                "SELECT (extract(epoch FROM c.at - q.at) * 1000)::bigint FROM job_history q JOIN job_history c"
                        + " ON c.job_id = q.job_id AND c.reason = 'claimed' WHERE q.job_id::text = ? AND q.to_status = 'QUEUED'")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static Map<String, String> types(TestDatabase database, List<String> ids) throws Exception {
        Map<String, String> types = new HashMap<>();
        try (Connection db = database.connect(); PreparedStatement select = db.prepareStatement(
                "SELECT id::text, type FROM jobs WHERE id::text = ANY (?)")) {
            select.setArray(1, db.createArrayOf("text", ids.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    types.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return types;
    }

    private static long count(Connection db, String sql, List<String> ids) throws Exception {
        try (PreparedStatement select = db.prepareStatement(sql)) {
            select.setArray(1, db.createArrayOf("text", ids.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static Future<HttpResponse<String>> firstDone(List<Future<HttpResponse<String>>> claims) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> claims.stream().filter(Future::isDone).findFirst().orElse(null), java.util.Objects::nonNull);
    }

    private static double attempts(URL server) {
        return Http.counter(Http.metrics(server), "jobstate_claim_attempts_total");
    }

    private static double gauge(URL server, String name) {
        return Http.counter(Http.metrics(server), name);
    }

    private static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }
}
