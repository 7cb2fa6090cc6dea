import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The long-poll wake-up of {@code ./jobstate bench}: a few claims parked on a type of their own
 * ({@code POST /api/jobs/claims}, {@code waitSeconds} 30), then jobs of that type queued one at a time
 * through the API ({@code POST /api/jobs/{id}/transitions}, PENDING to QUEUED), each only once every
 * claim is parked — the server's {@code jobstate_claim_waiters} holds them all and
 * {@code jobstate_claim_attempts_total} has counted each one's first claim, as ClaimsIT checks it. Each
 * job is timed from its QUEUED write (the database's clock, in the answer's {@code updatedAt}) to the
 * arrival of the claim answer that carries it, on this machine's clock (the database's machine). A
 * single-file program (JDK only; {@code java ClaimWakeups.java …} compiles and runs it).
 *
 * <p>Arguments: {@code <base url> <type> <first job number> <jobs> <claimers>}; the token comes from the
 * environment ({@code JOBSTATE_BENCH_TOKEN}). The benchmark has created {@code jobs + claimers} PENDING
 * jobs of the type, numbered from the first (job number n: the UUID with n in its low bits): the first
 * {@code jobs} are measured, the last {@code claimers} end the parked claims (one each). Prints
 * {@code RESULT jobs=… claimers=… p50_ms=… p99_ms=… max_ms=… statements_per_job=… violations=…}: a
 * violation is a job claimed by no claim or answered with another job, or an answer other than 200/204.
 */
public final class ClaimWakeups {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(45);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String type;
    private final String token;
    /** Claim answers by job id: the arrival time, epoch microseconds. */
    private final Map<String, Long> answered = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger violations = new AtomicInteger();

    private ClaimWakeups(URI base, String type, String token) {
        this.base = base;
        this.type = type;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String type = args[1];
        long first = Long.parseLong(args[2]);
        int jobs = Integer.parseInt(args[3]);
        int claimers = Integer.parseInt(args[4]);
        String token = System.getenv("JOBSTATE_BENCH_TOKEN");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("JOBSTATE_BENCH_TOKEN is not set");
        }
        new ClaimWakeups(base, type, token).run(first, jobs, claimers);
    }

    private void run(long first, int jobs, int claimers) throws Exception {
        List<String> finals = new ArrayList<>();
        for (int i = 0; i < claimers; i++) {
            finals.add(uuid(first + jobs + i));
        }
        double attemptsBefore = metric("jobstate_claim_attempts_total");
        // daemons: a failed run ends with main, whatever the parked claims do
        ExecutorService pool = Executors.newFixedThreadPool(claimers, task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        });
        List<Long> latencies = new ArrayList<>();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                running.add(pool.submit(() -> claimUntilOneOf(finals)));
            }
            for (int i = 0; i < jobs; i++) {
                String id = uuid(first + i);
                awaitAllParked(claimers, attemptsBefore, i);
                long queuedAt = queue(id);
                await("the claim of job " + id, () -> answered.containsKey(id) || violations.get() > 0);
                if (violations.get() > 0) {
                    break;
                }
                latencies.add(answered.get(id) - queuedAt);
            }
            double wakeAttempts = 0;
            if (violations.get() == 0) {
                awaitAllParked(claimers, attemptsBefore, jobs);
                // every statement but each request's first was run for a wake-up
                wakeAttempts = metric("jobstate_claim_attempts_total") - attemptsBefore - requests.get();
                for (String id : finals) {
                    queue(id);
                }
            }
            if (violations.get() == 0) {
                for (Future<?> claimer : running) {
                    claimer.get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
            }
            Collections.sort(latencies);
            System.out.printf("RESULT jobs=%d claimers=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f statements_per_job=%.2f violations=%d%n",
                    latencies.size(), claimers, percentile(latencies, 50), percentile(latencies, 99),
                    percentile(latencies, 100), jobs == 0 ? 0 : wakeAttempts / jobs, violations.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One parked claimer: claims until it gets one of {@code finals}, recording every job it gets. */
    private void claimUntilOneOf(List<String> finals) {
        String body = "{\"types\":[\"" + type + "\"],\"leaseSeconds\":3600,\"waitSeconds\":" + WAIT.toSeconds() + "}";
        while (!Thread.currentThread().isInterrupted()) {
            requests.incrementAndGet();
            HttpResponse<String> answer = send(post("/api/jobs/claims", body));
            long arrived = micros(Instant.now());
            if (answer.statusCode() == 204) {
                continue;
            }
            if (answer.statusCode() != 200) {
                violation("a claim was answered " + answer.statusCode() + ": " + answer.body());
                return;
            }
            String id = field(answer.body(), "id");
            if (answered.putIfAbsent(id, arrived) != null) {
                violation("job " + id + " was claimed twice");
            }
            if (finals.contains(id)) {
                return;
            }
        }
    }

    /** Once {@code claimers} claims wait in the line and every request's first claim (and every job's) has run. */
    private void awaitAllParked(int claimers, double attemptsBefore, int jobsClaimed) throws InterruptedException {
        await(claimers + " parked claims", () -> {
            double attempts = metric("jobstate_claim_attempts_total") - attemptsBefore;
            return violations.get() > 0 || (metric("jobstate_claim_waiters") == claimers
                    && attempts >= requests.get() + jobsClaimed);
        });
    }

    /** Queues the job; returns the time of its QUEUED write, epoch microseconds. */
    private long queue(String id) {
        HttpResponse<String> answer = send(post("/api/jobs/" + id + "/transitions", "{\"to\":\"QUEUED\"}"));
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("queuing job " + id + " was answered " + answer.statusCode() + ": " + answer.body());
        }
        return micros(Instant.parse(field(answer.body(), "updatedAt")));
    }

    private HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(request.uri() + " failed", e);
        }
    }

    /** The sum of the Prometheus lines of /metrics that start with {@code name}. */
    private double metric(String name) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/metrics")).timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<String> metrics = send(request);
        // Open Liberty's first /metrics answer after a start can be a 500 (OpenLiberty#35488)
        if (metrics.statusCode() == 500) {
            metrics = send(request);
        }
        if (metrics.statusCode() != 200) {
            throw new IllegalStateException("/metrics answered " + metrics.statusCode());
        }
        return metrics.body().lines().filter(line -> line.startsWith(name))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private void violation(String what) {
        System.err.println(what);
        violations.incrementAndGet();
    }

    /** Polls {@code condition} every 2 ms for at most {@link #WAIT}. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + WAIT.toSeconds() + " s for " + what);
            }
            Thread.sleep(2);
        }
    }

    /** The string value of a top-level field of the service's JSON (no escapes in ids and times). */
    private static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        int from = at + key.length();
        return json.substring(from, json.indexOf('"', from));
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    /** Nearest rank, in ms; 0 for none. */
    private static double percentile(List<Long> sortedMicros, double percent) {
        if (sortedMicros.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100 * sortedMicros.size());
        return sortedMicros.get(Math.max(1, rank) - 1) / 1000.0;
    }

    private static String uuid(long number) {
        String hex = String.format("%032x", number);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }
}
