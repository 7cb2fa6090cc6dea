import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load and the instrument of {@code ./jobstate bench soak}: a paced, steady workload on one jobstate
 * instance, and every sample interval a row of what must stay flat. A single-file program (JDK only;
 * {@code java Soak.java …} compiles and runs it), like the events benchmark's subscribers.
 *
 * <p>Workload: a new job every 1/rate seconds, whatever the server's speed (an open loop), each one
 * created (every second one with an Idempotency-Key), queued, started with a lease, heartbeated and
 * given progress, then completed (8 in 10), failed and retried to completion (1 in 10) or cancelled
 * (1 in 10); every transition with an Idempotency-Key, as the typed client sends them. At most
 * {@value #MAX_IN_FLIGHT_PER_RATE} x rate jobs are under way: a job that would exceed it is not
 * started and counted as skipped (the driver's own bound).
 *
 * <p>Every sample: the live rows (exact), dead tuples and on-disk size with indexes
 * ({@code pg_total_relation_size}) of each table and of the database, the live heap of the server's JVM
 * after a full GC ({@code jcmd GC.class_histogram}), and p50/p99 of the transitions answered since the
 * last sample. Writes {@code soak.csv} (one row per sample) and {@code soak.txt} (the table and the
 * verdict) to the output folder. The verdict, over the second half of the run: a table's size, the
 * database's or the heap growing by more than 10%, or the p99 rising by more than 50%, is a failure (the
 * growth is the rise of a Theil-Sen line through the second half's samples, relative to their median, so
 * one sample's spike is not taken for a trend; sizes that grew by less than
 * {@value #SIZE_SLACK_BYTES} bytes in all are flat whatever the ratio: a page or two of a small table).
 *
 * <p>Arguments: {@code <base url> <jobs per second> <seconds> <sample seconds> <output folder> <psql> <port>
 * <database> <server pid> <jcmd> <smoke: true|false>}; the token comes from {@code JOBSTATE_BENCH_TOKEN}.
 * Exits 0 when the run is sound (no answer but 2xx, samples taken, jobs pruned) and, outside a smoke,
 * flat; 1 otherwise. A smoke proves the instrument (its figures mean nothing: the tables are still filling).
 */
public final class Soak {

    static final String[] TABLES = {"jobs", "job_history", "event_outbox", "job_events", "job_status_counts", "event_feed"};
    static final int MAX_IN_FLIGHT_PER_RATE = 30;
    static final long SIZE_SLACK_BYTES = 64 * 1024;
    static final double SIZE_LIMIT = 0.10;
    static final double P99_LIMIT = 0.50;
    private static final Duration STEP = Duration.ofMillis(400);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI api;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Latencies latencies = new Latencies();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Map<String, AtomicLong> unexpected = new ConcurrentHashMap<>();

    private Soak(URI base, String token) {
        this.api = base.resolve("api/");
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("--judge")) {
            judge(Path.of(args[1]), Double.parseDouble(args[2]), Duration.ofSeconds(Long.parseLong(args[3])));
            return;
        }
        if (args.length != 11) {
            System.err.println("usage: java Soak.java <base url> <jobs/s> <seconds> <sample seconds> <out> <psql> <port>"
                    + " <database> <pid> <jcmd> <smoke>");
            System.err.println("   or: java Soak.java --judge <soak.csv> <jobs/s> <seconds>   (the table and verdict of a recorded run)");
            System.exit(2);
        }
        double rate = Double.parseDouble(args[1]);
        Duration length = Duration.ofSeconds(Long.parseLong(args[2]));
        Duration every = Duration.ofSeconds(Long.parseLong(args[3]));
        Path out = Path.of(args[4]);
        Sampler sampler = new Sampler(args[5], args[6], args[7], args[8], args[9]);
        boolean smoke = Boolean.parseBoolean(args[10]);
        Soak soak = new Soak(URI.create(args[0].endsWith("/") ? args[0] : args[0] + "/"), System.getenv("JOBSTATE_BENCH_TOKEN"));

        String selfTest = Verdict.selfTest();
        List<Sample> samples = soak.run(rate, length, every, sampler);
        Report report = new Report(samples, rate, length, every, smoke);
        List<String> unsound = new ArrayList<>();
        if (selfTest != null) {
            unsound.add("the flatness check failed its self-test: " + selfTest);
        }
        if (!soak.unexpected.isEmpty()) {
            unsound.add("answers other than 2xx: " + new TreeMap<>(soak.unexpected));
        }
        if (samples.size() < 4) {
            unsound.add("only " + samples.size() + " samples");
        } else if (samples.getLast().pruned() == 0) {
            unsound.add("no job was pruned: retention did not run");
        }
        List<String> text = report.lines(soak.started.get(), soak.finished.get(), soak.skipped.get());
        text.add(unsound.isEmpty() ? "instrument: sound (only 2xx answers, " + samples.size() + " samples, jobs pruned)"
                : "instrument: UNSOUND: " + String.join("; ", unsound));
        Files.write(out.resolve("soak.txt"), text, StandardCharsets.UTF_8);
        Files.write(out.resolve("soak.csv"), report.csv(), StandardCharsets.UTF_8);
        text.forEach(System.out::println);
        boolean failed = !unsound.isEmpty() || (!smoke && !report.flat());
        System.exit(failed ? 1 : 0);
    }

    /** Prints the table and the verdict of the samples a run wrote to {@code csv}, as the run would have; exits 1 unless flat. */
    private static void judge(Path csv, double rate, Duration length) throws IOException {
        List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
        String[] header = rows.getFirst().split(",");
        List<Sample> samples = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            List<Table> tables = new ArrayList<>();
            for (int i = 1; header[i].endsWith("_rows"); i += 3) {
                tables.add(new Table(header[i].substring(0, header[i].length() - "_rows".length()), Long.parseLong(f[i]),
                        Long.parseLong(f[i + 1]), Long.parseLong(f[i + 2])));
            }
            int after = 1 + 3 * tables.size();
            samples.add(new Sample(Double.parseDouble(f[0]), tables, Long.parseLong(f[after]), Integer.parseInt(f[after + 1]),
                    Double.parseDouble(f[after + 2]), Double.parseDouble(f[after + 3]), Long.parseLong(f[after + 4])));
        }
        Duration every = Duration.ofSeconds(Math.round(samples.get(1).elapsed() - samples.get(0).elapsed()));
        Report report = new Report(samples, rate, length, every, false);
        report.lines(0, 0, 0).stream().skip(1).forEach(System.out::println);
        System.exit(report.flat() ? 0 : 1);
    }

    /** Runs the workload for {@code length}, sampling every {@code every} (first right away); waits for the jobs under way. */
    private List<Sample> run(double rate, Duration length, Duration every, Sampler sampler) throws Exception {
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
        Executor later = CompletableFuture.delayedExecutor(STEP.toMillis(), TimeUnit.MILLISECONDS);
        List<Sample> samples = new ArrayList<>();
        long begin = System.nanoTime();
        int limit = (int) Math.max(10, Math.ceil(rate * MAX_IN_FLIGHT_PER_RATE));
        var jobs = pacer.scheduleAtFixedRate(() -> {
            if (inFlight.incrementAndGet() > limit) {
                inFlight.decrementAndGet();
                skipped.incrementAndGet();
                return;
            }
            started.incrementAndGet();
            lifeOfAJob(later).whenComplete((done, failure) -> {
                inFlight.decrementAndGet();
                finished.incrementAndGet();
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                if (cause != null && !(cause instanceof Refused)) {
                    unexpected.computeIfAbsent(cause.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                }
            });
        }, 0, (long) (1e9 / rate), TimeUnit.NANOSECONDS);
        try {
            for (long n = 0; ; n++) {
                long due = begin + every.toNanos() * n;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                double elapsed = (System.nanoTime() - begin) / 1e9;
                samples.add(sampler.take(elapsed, latencies.drain(), metric("jobstate_jobs_pruned_total")));
                System.err.println("soak: " + samples.getLast().line());
                if (elapsed >= length.toSeconds() - 1e-3) {
                    return samples;
                }
            }
        } finally {
            jobs.cancel(false);
            pacer.shutdown();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    /** One job from creation to its end; completes when its last request was answered. */
    private CompletableFuture<Void> lifeOfAJob(Executor later) {
        int fate = ThreadLocalRandom.current().nextInt(10);
        boolean keyed = ThreadLocalRandom.current().nextBoolean();
        String body = "{\"type\": \"soak\", \"payload\": {\"fate\": " + fate + "}}";
        HttpRequest.Builder create = request("jobs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (keyed) {
            create.header("Idempotency-Key", UUID.randomUUID().toString());
        }
        return send(create, false).thenCompose(created -> {
            String id = field(created, "id");
            return transition(id, "{\"to\": \"QUEUED\"}", null)
                    .thenCompose(queued -> run(id, later))
                    .thenCompose(lease -> switch (fate) {
                        case 0 -> transition(id, "{\"to\": \"CANCELLED\", \"reason\": \"soak\"}", null);
                        case 1 -> transition(id, "{\"to\": \"FAILED\", \"error\": \"soak\"}", lease)
                                .thenCompose(failed -> transition(id, "{\"to\": \"QUEUED\"}", null))
                                .thenCompose(retried -> run(id, later))
                                .thenCompose(second -> complete(id, second));
                        default -> complete(id, lease);
                    });
        }).thenApply(last -> null);
    }

    /** Starts the job with a lease, heartbeats and reports progress a step apart; the run's lease token. */
    private CompletableFuture<String> run(String id, Executor later) {
        return transition(id, "{\"to\": \"RUNNING\", \"leaseSeconds\": 30}", null).thenCompose(running -> {
            String lease = field(running, "leaseToken");
            return CompletableFuture.supplyAsync(() -> lease, later)
                    .thenCompose(l -> send(request("jobs/" + id + "/heartbeat").header("Lease-Token", l)
                            .POST(HttpRequest.BodyPublishers.noBody()), false))
                    .thenComposeAsync(beat -> send(request("jobs/" + id + "/progress").header("Lease-Token", lease)
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"progress\": 50}")), false), later)
                    .thenApplyAsync(progress -> lease, later);
        });
    }

    private CompletableFuture<String> complete(String id, String lease) {
        return transition(id, "{\"to\": \"COMPLETED\", \"result\": {\"ok\": true}}", lease);
    }

    private CompletableFuture<String> transition(String id, String body, String lease) {
        HttpRequest.Builder request = request("jobs/" + id + "/transitions").header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).POST(HttpRequest.BodyPublishers.ofString(body));
        return send(lease == null ? request : request.header("Lease-Token", lease), true);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(api.resolve(path)).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
    }

    /** Sends; a 2xx answer's body, else the chain fails (and the status is counted). Transitions are timed. */
    private CompletableFuture<String> send(HttpRequest.Builder builder, boolean timed) {
        long sent = System.nanoTime();
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (timed) {
                latencies.add(System.nanoTime() - sent);
            }
            if (response.statusCode() / 100 != 2) {
                unexpected.computeIfAbsent("HTTP " + response.statusCode(), k -> new AtomicLong()).incrementAndGet();
                throw new Refused(response.statusCode() + ": " + response.body());
            }
            return response.body();
        });
    }

    private long metric(String prefix) {
        try {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(api.resolve("/metrics")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return (long) metrics.body().lines().filter(line -> line.startsWith(prefix))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A string member of a JSON object (the job's id, its lease token): enough of JSON for the answers it reads. */
    static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return matcher.group(1);
    }

    /** An answer other than 2xx (counted where it arrived): it ends its job's chain. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Latencies (ns) recorded since the last drain. Thread-safe. */
    static final class Latencies {
        private List<Long> recorded = new ArrayList<>();

        synchronized void add(long nanos) {
            recorded.add(nanos);
        }

        synchronized long[] drain() {
            long[] sorted = recorded.stream().mapToLong(Long::longValue).sorted().toArray();
            recorded = new ArrayList<>();
            return sorted;
        }
    }

    /** One table's figures in a sample. */
    record Table(String name, long rows, long dead, long bytes) {
    }

    /** One sample: when (s since the start), the tables (the database last, as "database"), heap, latencies, jobs pruned so far. */
    record Sample(double elapsed, List<Table> tables, long heapBytes, int transitions, double p50Ms, double p99Ms, long pruned) {

        long bytes(String table) {
            return tables.stream().filter(t -> t.name().equals(table)).findFirst().orElseThrow().bytes();
        }

        String line() {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%7.0f s", elapsed));
            for (Table table : tables) {
                line.append(String.format(Locale.ROOT, "  %s %d rows %.2f MB", table.name(), table.rows(), table.bytes() / 1048576.0));
            }
            return line.append(String.format(Locale.ROOT, "  heap %.1f MB  %d transitions p50 %.1f p99 %.1f ms  pruned %d",
                    heapBytes / 1048576.0, transitions, p50Ms, p99Ms, pruned)).toString();
        }
    }

    /** Reads the database's figures with psql and the server's live heap with jcmd. */
    record Sampler(String psql, String port, String database, String pid, String jcmd) {

        Sample take(double elapsed, long[] latencyNanos, long pruned) throws IOException, InterruptedException {
            StringBuilder sql = new StringBuilder("SELECT t.name, t.rows, coalesce(s.n_dead_tup, 0), pg_total_relation_size(t.name::regclass)"
                    + " FROM (VALUES ");
            for (int i = 0; i < TABLES.length; i++) {
                sql.append(i == 0 ? "" : ", ").append("(").append(i).append(", '").append(TABLES[i])
                        .append("', (SELECT count(*) FROM ").append(TABLES[i]).append("))");
            }
            sql.append(") t(n, name, rows) LEFT JOIN pg_stat_user_tables s ON s.relname = t.name")
                    .append(" UNION ALL SELECT 'database', 0, 0, pg_database_size(current_database())");
            // in the order of TABLES, the database last
            sql.insert(0, "SELECT * FROM (").append(") sizes ORDER BY array_position(ARRAY['")
                    .append(String.join("', '", TABLES)).append("', 'database'], name)");
            List<Table> tables = new ArrayList<>();
            for (String row : output(psql, "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", database, "-X", "-Atq",
                    "-F", " ", "-v", "ON_ERROR_STOP=1", "-c", sql.toString()).strip().split("\n")) {
                String[] f = row.split(" ");
                tables.add(new Table(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
            }
            long heap = output(jcmd, pid, "GC.class_histogram").lines().filter(line -> line.startsWith("Total"))
                    .mapToLong(line -> Long.parseLong(line.trim().split("\\s+")[2])).findFirst()
                    .orElseThrow(() -> new IllegalStateException("jcmd printed no histogram total"));
            return new Sample(elapsed, tables, heap, latencyNanos.length, percentile(latencyNanos, 50), percentile(latencyNanos, 99), pruned);
        }

        private static double percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e6;
        }

        private static String output(String... command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", Arrays.asList(command).subList(0, 1)) + " failed: " + text);
            }
            return text;
        }
    }

    /**
     * Whether a series is flat over the second half: the rise of its Theil-Sen line (the median of the
     * slopes between every two samples, so that one sample's spike is not taken for a trend, as a
     * least-squares line would take it) over the half, relative to the series' median there.
     */
    static final class Verdict {

        /** The Theil-Sen line through the samples: its value at the first sample and its rise to the last. */
        static Trend trend(double[] t, double[] y) {
            int n = t.length;
            List<Double> slopes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    if (t[j] != t[i]) {
                        slopes.add((y[j] - y[i]) / (t[j] - t[i]));
                    }
                }
            }
            double slope = median(slopes);
            List<Double> intercepts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                intercepts.add(y[i] - slope * t[i]);
            }
            return new Trend(median(intercepts) + slope * t[0], slope * (t[n - 1] - t[0]), median(Arrays.stream(y).boxed().toList()));
        }

        /** The line's rise over the half, as a share of its value at the half's start; {@code slack}: a rise this small is none. */
        static double growth(double[] t, double[] y, double slack) {
            return trend(t, y).growth(slack);
        }

        private static double median(List<Double> values) {
            if (values.isEmpty()) {
                return 0;
            }
            List<Double> sorted = values.stream().sorted().toList();
            int middle = sorted.size() / 2;
            return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        }

        /** null when the check passes a flat noisy series and one with a spike, and fails one growing 20% over the half; else what went wrong. */
        static String selfTest() {
            double[] t = new double[16];
            double[] flat = new double[16];
            double[] spiked = new double[16];
            double[] growing = new double[16];
            for (int i = 0; i < t.length; i++) {
                t[i] = 900 + 60 * i;
                flat[i] = 10_000_000 * (1 + (i % 3 - 1) * 0.04);
                spiked[i] = i == 12 ? 5 * flat[i] : flat[i];
                growing[i] = 10_000_000 * (1 + 0.2 * i / (t.length - 1));
            }
            if (growth(t, flat, SIZE_SLACK_BYTES) > SIZE_LIMIT) {
                return "a flat series was taken for growth";
            }
            if (growth(t, spiked, SIZE_SLACK_BYTES) > SIZE_LIMIT) {
                return "a flat series with one spike was taken for growth";
            }
            if (growth(t, growing, SIZE_SLACK_BYTES) <= SIZE_LIMIT) {
                return "a series growing 20% was taken for flat";
            }
            return null;
        }
    }

    /**
     * A series' line over the second half: its value where the half starts and how much it rises by the
     * end, and the series' median there, the base a rise is measured against (a line's start can lie far
     * below every sample when the samples are noisy, as latencies on a busy machine are).
     */
    record Trend(double start, double rise, double median, double slack) {

        Trend(double start, double rise, double median) {
            this(start, rise, median, 0);
        }

        Trend withSlack(double bytes) {
            return new Trend(start, rise, median, bytes);
        }

        /** The rise as a share of the median; a rise within {@code slack} counts as none. */
        double growth(double slack) {
            double counted = rise <= slack ? Math.min(0, rise) : rise;
            return counted / Math.max(median, 1e-9);
        }

        double growth() {
            return growth(slack);
        }
    }

    /** The table, the CSV and the verdict of a run. */
    record Report(List<Sample> samples, double rate, Duration length, Duration every, boolean smoke) {

        List<String> csv() {
            List<String> rows = new ArrayList<>();
            StringBuilder header = new StringBuilder("elapsed_s");
            samples.getFirst().tables().forEach(t -> header.append(',').append(t.name()).append("_rows,").append(t.name())
                    .append("_dead,").append(t.name()).append("_bytes"));
            rows.add(header.append(",heap_bytes,transitions,p50_ms,p99_ms,pruned").toString());
            for (Sample s : samples) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%.1f", s.elapsed()));
                s.tables().forEach(t -> row.append(',').append(t.rows()).append(',').append(t.dead()).append(',').append(t.bytes()));
                rows.add(row.append(String.format(Locale.ROOT, ",%d,%d,%.3f,%.3f,%d", s.heapBytes(), s.transitions(),
                        s.p50Ms(), s.p99Ms(), s.pruned())).toString());
            }
            return rows;
        }

        /** The second half's samples (from the middle of the run on); the first half fills the tables. */
        List<Sample> secondHalf() {
            return samples.stream().filter(s -> s.elapsed() >= length.toSeconds() / 2.0).toList();
        }

        /** Each checked series' line over the second half, in order: every table, the database, the heap, the p99. */
        Map<String, Trend> trends() {
            List<Sample> half = secondHalf();
            Map<String, Trend> trends = new LinkedHashMap<>();
            if (half.size() < 3) {
                return trends;
            }
            double[] t = half.stream().mapToDouble(Sample::elapsed).toArray();
            for (Table table : half.getFirst().tables()) {
                trends.put(table.name() + " MB", Verdict.trend(t, half.stream().mapToDouble(s -> s.bytes(table.name()) / 1048576.0)
                        .toArray()).withSlack(SIZE_SLACK_BYTES / 1048576.0));
            }
            trends.put("heap MB", Verdict.trend(t, half.stream().mapToDouble(s -> s.heapBytes() / 1048576.0).toArray()));
            trends.put("p99 ms", Verdict.trend(t, half.stream().mapToDouble(Sample::p99Ms).toArray()));
            return trends;
        }

        private static double limit(String series) {
            return series.startsWith("p99") ? P99_LIMIT : SIZE_LIMIT;
        }

        boolean flat() {
            Map<String, Trend> trends = trends();
            return !trends.isEmpty() && trends.entrySet().stream().allMatch(e -> e.getValue().growth() <= limit(e.getKey()));
        }

        List<String> lines(long started, long finished, long skipped) {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "jobstate bench soak: %s%.1f jobs/s for %d s, a sample every %d s; %d jobs started,"
                            + " %d ended, %d skipped (over %d under way)", smoke ? "SMOKE (proves the instrument works; the figures mean"
                            + " nothing): " : "", rate, length.toSeconds(), every.toSeconds(), started, finished, skipped,
                    (int) Math.max(10, Math.ceil(rate * MAX_IN_FLIGHT_PER_RATE))));
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%6s", "s"));
            for (Table table : samples.getFirst().tables()) {
                header.append(String.format(Locale.ROOT, " %22s", table.name() + (table.name().equals("database") ? " MB" : " rows/dead/MB")));
            }
            lines.add(header.append(String.format(Locale.ROOT, " %8s %7s %8s %8s %8s", "heap MB", "trans", "p50 ms", "p99 ms", "pruned"))
                    .toString());
            for (Sample s : samples) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%6.0f", s.elapsed()));
                for (Table t : s.tables()) {
                    String cell = t.name().equals("database") ? String.format(Locale.ROOT, "%.2f", t.bytes() / 1048576.0)
                            : String.format(Locale.ROOT, "%d/%d/%.2f", t.rows(), t.dead(), t.bytes() / 1048576.0);
                    row.append(String.format(Locale.ROOT, " %22s", cell));
                }
                lines.add(row.append(String.format(Locale.ROOT, " %8.1f %7d %8.1f %8.1f %8d", s.heapBytes() / 1048576.0,
                        s.transitions(), s.p50Ms(), s.p99Ms(), s.pruned())).toString());
            }
            lines.add("rows: live rows (exact) / dead tuples (statistics) / MB on disk with indexes; heap: live after a full GC;"
                    + " trans: transitions answered since the previous sample, p50/p99 of their latency; pruned: jobs so far");
            Map<String, Trend> trends = trends();
            if (trends.isEmpty()) {
                lines.add("second half: fewer than 3 samples, no verdict");
                return lines;
            }
            lines.add("second half (from " + length.toSeconds() / 2 + " s): the Theil-Sen line from the half's start to its end,"
                    + " its rise against the half's median; limits " + (int) (SIZE_LIMIT * 100) + "% for sizes and heap (a size rising less than "
                    + SIZE_SLACK_BYTES / 1024 + " KiB in all is flat), " + (int) (P99_LIMIT * 100) + "% for the p99:");
            trends.forEach((series, trend) -> lines.add(String.format(Locale.ROOT, "  %-24s %9.2f -> %9.2f (median %9.2f)  %+6.1f%%  %s",
                    series, trend.start(), trend.start() + trend.rise(), trend.median(), 100 * trend.growth(),
                    trend.growth() <= limit(series) ? "flat" : "GROWS")));
            lines.add("flatness: " + (flat() ? "FLAT" : "GROWING") + (smoke ? " (smoke: not enforced)" : ""));
            return lines;
        }
    }
}
