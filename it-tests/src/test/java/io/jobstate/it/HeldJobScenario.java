package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jobstate.testing.postgres.PostgresServer;
import io.jobstate.testing.postgres.TestDatabase;
import jakarta.json.Json;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What one open transaction outside the service may do to it, and may not: a {@code psql} session
 * holds one job's row ({@code SELECT … FOR UPDATE}, transaction left open) while 64 clients ask to
 * move that job at once. Each of them is answered 503 {@code LOCK_WAIT} with {@code Retry-After}
 * within the lock bound (2 s, the server's default) plus a second, and counted in
 * {@code jobstate_server_errors_total{status="503"}}; meanwhile transitions of other
 * jobs, reads and {@code /health/ready} answer at their usual pace (well under the lock bound: none
 * of them waited for the held row or for a pooled connection), and one session of the service waits
 * for the row in the database, not 64; once the session lets go, the job moves as usual. Run by both
 * locking paths ({@link JobsApiContract}).
 */
final class HeldJobScenario {

    static final Duration LOCK_BOUND = Duration.ofSeconds(2);
    private static final int CLIENTS = 64;
    private static final int OTHER_JOBS = 8;
    /** Half the lock bound: a request that waited for the held row or for a connection takes longer. */
    private static final Duration BRISK = LOCK_BOUND.dividedBy(2);
    private static final Duration SLACK = Duration.ofSeconds(1);

    private final URL base;
    private final Http http;

    HeldJobScenario(URL base) {
        this.base = base;
        this.http = new Http(base);
    }

    void run(PostgresServer server, TestDatabase database) throws Exception {
        double unavailableBefore = unavailableAnswers();
        String held = create();
        List<Timed<Integer>> usual = otherWork();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Timed<HttpResponse<String>>> answers = new ArrayList<>();
        List<Timed<Integer>> meanwhile;
        long waitingForTheRow;
        try (PsqlSession psql = PsqlSession.holding(server, database, held); Connection observer = database.connect()) {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<Timed<HttpResponse<String>>>> pending = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                pending.add(clients.submit(() -> {
                    gate.await();
                    return Timed.of(() -> http.postJson("jobs/" + held + "/transitions", "{\"to\": \"QUEUED\"}"));
                }));
            }
            gate.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> blockedBy(observer, psql.pid()) >= 1);

            meanwhile = otherWork();
            waitingForTheRow = blockedBy(observer, psql.pid());
            for (Future<Timed<HttpResponse<String>>> answer : pending) {
                answers.add(answer.get(60, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.printf("held job: %d transitions answered in %d..%d ms; other work before %d ms at most, meanwhile %d ms at most%n",
                answers.size(), answers.stream().mapToLong(a -> a.took().toMillis()).min().orElse(-1),
                answers.stream().mapToLong(a -> a.took().toMillis()).max().orElse(-1),
                usual.stream().mapToLong(t -> t.took().toMillis()).max().orElse(-1),
                meanwhile.stream().mapToLong(t -> t.took().toMillis()).max().orElse(-1));

        long unavailable = answers.stream().filter(answer -> answer.value().statusCode() == 503).count();
        assertThat(unavailableAnswers()).as("503s counted in jobstate_server_errors_total").isEqualTo(unavailableBefore + unavailable);
        assertThat(answers).hasSize(CLIENTS).allSatisfy(answer -> {
            assertThat(answer.value().statusCode()).as(answer.value().body()).isEqualTo(503);
            assertThat(answer.value().headers().firstValue("Retry-After")).isPresent();
            assertThat(Json.createReader(new StringReader(answer.value().body())).readObject().getString("unavailableReason"))
                    .isEqualTo("LOCK_WAIT");
            assertThat(answer.took()).isLessThan(LOCK_BOUND.plus(SLACK));
        });
        assertThat(waitingForTheRow).as("sessions of the service waiting for the held row").isEqualTo(1);
        assertThat(meanwhile).as("other jobs' transitions, reads and readiness while the held job's clients wait")
                .extracting(Timed::value).containsOnly(200);
        assertThat(meanwhile).allSatisfy(other -> assertThat(other.took()).isLessThan(BRISK));

        HttpResponse<String> after = http.postJson("jobs/" + held + "/transitions", "{\"to\": \"QUEUED\"}");
        assertThat(after.statusCode()).as("the job moves once the session let go").isEqualTo(200);
        assertThat(otherWork()).extracting(Timed::value).containsOnly(200);
    }

    private double unavailableAnswers() {
        return Http.counter(Http.metrics(base), "jobstate_server_errors_total{", "status=\"503\"");
    }

    /** Transitions of other jobs, reads of them and of the list, and readiness: their statuses, timed. */
    private List<Timed<Integer>> otherWork() {
        List<Timed<Integer>> done = new ArrayList<>();
        for (int i = 0; i < OTHER_JOBS; i++) {
            String other = create();
            done.add(Timed.of(() -> http.postJson("jobs/" + other + "/transitions", "{\"to\": \"RUNNING\"}").statusCode()));
            done.add(Timed.of(() -> http.get("jobs/" + other).statusCode()));
            done.add(Timed.of(() -> http.get("jobs?limit=20").statusCode()));
            done.add(Timed.of(() -> Http.getFromServer(base, "/health/ready").statusCode()));
        }
        return done;
    }

    private String create() {
        HttpResponse<String> created = http.postJson("jobs", "{\"type\": \"held-scenario\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return JobsApiContract.object(created).getString("id");
    }

    /** Sessions waiting for a lock that the session {@code holder} holds. */
    private static long blockedBy(Connection observer, long holder) throws Exception {
        try (PreparedStatement statement = observer.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE ?::int = ANY(pg_blocking_pids(pid))")) {
            statement.setLong(1, holder);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private record Timed<T>(T value, Duration took) {
        static <T> Timed<T> of(Supplier<T> work) {
            long started = System.nanoTime();
            T value = work.get();
            return new Timed<>(value, Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
