package io.jobstate.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jobstate.it.FolderCopy;
import io.jobstate.testing.postgres.PostgresBinaries;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code ./jobstate bench --smoke}, {@code ./jobstate bench events --smoke} and
 * {@code ./jobstate bench soak --smoke} as a developer would, except that the launcher builds nothing
 * ({@code --no-build}: no Maven inside this Maven run) and uses this build's artifacts: the job-rest WAR, the Liberty runtime of this module with a
 * server of its own ({@code jobstate-bench}, its own reserved port), job-persistence's pgbench
 * scripts, and a private PostgreSQL in a state folder of its own. Logs and results are kept in
 * {@code target/bench-smoke}. The commands check their own
 * figures — only 200/409 answers and no failed pgbench transaction, goodput in every cell, no field
 * left empty; for the soak only 2xx answers, its samples, pruned jobs and a flatness check that passes
 * its self-test — and exit non-zero otherwise; they stop what they start, also when they fail.
 *
 * <p>wrk, gnuplot, and pgbench and psql next to the PostgreSQL server binaries must be installed. Without them the test is skipped, except on CI
 * ({@code CI=true}), where a benchmark that cannot run is a failure ({@code .ci/run} installs them).
 */
class BenchSmokeIT {

    // a guard against a hung run, not a figure: the transition smoke takes about 2.5 minutes alone and
    // nearly 5 on a machine shared with other builds (its lean cells included)
    private static final long TIMEOUT_MINUTES = 8;
    private static final List<String> TOOLS = List.of("wrk", "gnuplot", "curl", "openssl");

    private static Path root;
    /** Logs and results, kept after the build. */
    private static Path reports;
    /** The launcher's state folders (the private PostgreSQL's data among them): under the temporary
     *  folder, because every folder above a cluster must be open to its unprivileged owner. */
    private static Path state;

    @BeforeAll
    static void toolsArePresent() throws IOException {
        root = Path.of(System.getProperty("jobstate.it.root")).toAbsolutePath().normalize();
        reports = Path.of(System.getProperty("jobstate.it.bench.reports")).toAbsolutePath();
        List<String> missing = new ArrayList<>(TOOLS.stream().filter(tool -> !onPath(tool)).toList());
        // the Maven Central PostgreSQL binaries have neither: they come with the machine's package
        Path postgres = PostgresBinaries.locate();
        Stream.of("pgbench", "psql").filter(tool -> !Files.isExecutable(postgres.resolve(tool))).forEach(missing::add);
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(missing.isEmpty(), "the benchmark smoke needs " + missing + " (skipped; CI fails instead)");
        }
        assertThat(missing).as("tools the benchmark smoke needs").isEmpty();
        deleteTree(reports);
        Files.createDirectories(reports);
        state = Files.createTempDirectory("jobstate-bench-smoke",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @AfterAll
    static void deleteTheStateFolders() throws IOException {
        if (state != null) {
            deleteTree(state);
        }
    }

    @Test
    void theTransitionAndReadBenchmarkPassesItsSmoke() throws Exception {
        Path results = smoke("bench");

        String table = Files.readString(results.resolve("results.txt"));
        assertThat(table)
                .contains("http-cas", "http-pessimistic", "http-cas-deferred", "http-cas-traced", "get-job", "list-jobs", "live")
                .contains("numbering on vs deferred:", "authenticated GET /api/jobs/{id}:", "tracing on vs off: JVM CPU per transition");
        assertThat(results.resolve("goodput.png")).isNotEmptyFile();
        theLeanTransitionIsMeasured(table);
        theClaimCellsAreSane(table);
        theReadCellIsRecorded(results.resolve("jfr"));
    }

    /** JOBSTATE_BENCH_JFR (on in the smoke): the authenticated read's cell left a flight recording that holds CPU samples of Liberty. */
    private static void theReadCellIsRecorded(Path recordings) throws IOException {
        assertThat(recordings).as("the run's flight recordings").isDirectory();
        List<Path> reads;
        try (Stream<Path> files = Files.list(recordings)) {
            reads = files.filter(file -> file.getFileName().toString().endsWith("-http-cas-get-job-8.jfr")).toList();
        }
        assertThat(reads).as("flight recordings of the authenticated read's cell in %s", recordings).hasSize(1);
        long samples;
        try (Stream<RecordedEvent> events = RecordingFile.readAllEvents(reads.get(0)).stream()) {
            samples = events.filter(event -> event.getEventType().getName().equals("jdk.ExecutionSample")).count();
        }
        assertThat(samples).as("CPU samples in %s", reads.get(0)).isPositive();
    }

    /** The lean transition's cells, each HTTP transition cell's share of it, and its PostgreSQL CPU beside the service's. */
    private static void theLeanTransitionIsMeasured(String table) {
        assertThat(row(table, "uniform", "pgbench-lean")).as("pgbench running the lean transition").contains("failed:0");
        // vs pg, then vs lean: a hot cell's goodput against the uniform lean cell of its concurrency
        assertThat(row(table, "hot", "http-cas")).as("a hot cell's shares of pgbench and of the lean transition")
                .matches(".* [0-9.]+% [0-9.]+%");

        Matcher shares = find(table, "HTTP transitions vs the lean transition \\(pgbench, same run\\): cas uniform 8: ([0-9.]+)%,"
                + " cas hot 8: ([0-9.]+)%, pessimistic uniform 8: ([0-9.]+)%, pessimistic hot 8: ([0-9.]+)%");
        assertThat(Double.parseDouble(shares.group(1))).as("cas uniform's share of the lean transition").isPositive();
        assertThat(Double.parseDouble(shares.group(3))).as("pessimistic uniform's share of the lean transition").isPositive();

        Matcher cpu = find(table, "pg ms per transaction \\(pgbench, uniform\\): cas 8: lean ([0-9.]+), service's SQL ([0-9.]+);"
                + " pessimistic 8: lean ([0-9.]+), service's SQL ([0-9.]+)");
        assertThat(Double.parseDouble(cpu.group(1))).as("the lean transition's pg ms").isPositive();
        assertThat(Double.parseDouble(cpu.group(2))).as("the service's SQL's pg ms").isPositive();
        Matcher work = find(table, "PostgreSQL work per transaction \\(pgbench, uniform\\): cas 8: lean ([0-9.]+) buffers,"
                + " ([0-9]+) B WAL, service's SQL ([0-9.]+) buffers, ([0-9]+) B WAL;");
        assertThat(Double.parseDouble(work.group(1))).as("the lean transition's buffers").isPositive();
        assertThat(Long.parseLong(work.group(2))).as("the lean transition's WAL").isPositive();
        // the service's statement does all the lean one does and more (guard, counts, keys, leases)
        assertThat(Double.parseDouble(work.group(3))).as("the service's SQL's buffers").isGreaterThan(Double.parseDouble(work.group(1)));
        assertThat(Long.parseLong(work.group(4))).as("the service's SQL's WAL").isGreaterThan(Long.parseLong(work.group(2)));
    }

    /** The claim cells: claims without a 409 and against pgbench, list-and-start's conflicts, the wake-up's figures. */
    private static void theClaimCellsAreSane(String table) {
        assertThat(row(table, "claim", "pgbench")).as("pgbench running the claim statement").contains("failed:0");
        // never a conflict nor an empty queue; a 503 of a bound on a loaded machine is no fault of the claims
        assertThat(row(table, "claim", "http-cas")).as("the claims' statuses").contains(" 200:").doesNotContain("409:", "204:");
        assertThat(row(table, "list-start", "http-cas")).as("list-and-start's statuses").contains("200:");

        Matcher claims = find(table, "claims: (\\d+) claims/s, ([0-9.]+)% of pgbench running the claim statement \\((\\d+)/s;");
        assertThat(Long.parseLong(claims.group(1))).as("claims/s").isPositive();
        assertThat(Long.parseLong(claims.group(3))).as("pgbench's claims/s").isPositive();

        Matcher conflicts = find(table, "409 answers, 32 workers: claims ([0-9.]+)% \\((\\d+) of (\\d+) claims\\),"
                + " list-and-start ([0-9.]+)% of starts \\((\\d+) of (\\d+);");
        assertThat(conflicts.group(2)).as("claims answered 409").isEqualTo("0");
        assertThat(Long.parseLong(conflicts.group(3))).as("claims answered 200").isPositive();
        assertThat(Long.parseLong(conflicts.group(6))).as("list-and-start's starts").isPositive();
        assertThat(Long.parseLong(conflicts.group(5))).as("list-and-start's conflicts")
                .isBetween(0L, Long.parseLong(conflicts.group(6)));

        Matcher wakeUp = find(table, "long-poll wake-up, job QUEUED -> parked claim answered: p50 ([0-9.]+) ms, p99 ([0-9.]+) ms,"
                + " max ([0-9.]+) ms \\(10 jobs queued one at a time, 4 claims parked; claim statements per job ([0-9.]+)\\)");
        double p50 = Double.parseDouble(wakeUp.group(1));
        double p99 = Double.parseDouble(wakeUp.group(2));
        assertThat(p50).as("wake-up p50 ms").isPositive();
        assertThat(p99).as("wake-up p99 ms").isGreaterThanOrEqualTo(p50).isLessThan(30_000);
        assertThat(wakeUp.group(4)).as("one claim statement per queued job: one waiter woken, not all").isEqualTo("1.00");
    }

    /** The table's row of a cell, whitespace collapsed. */
    private static String row(String table, String workload, String runner) {
        return table.lines().map(line -> line.trim().replaceAll("\\s+", " "))
                .filter(line -> line.startsWith(workload + " ") && line.split(" ")[2].equals(runner))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + workload + "/" + runner + " in:\n" + table));
    }

    private static Matcher find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("a line matching /%s/ in:%n%s", regex, text).isTrue();
        return matcher;
    }

    @Test
    void theEventsBenchmarkPassesItsSmoke() throws Exception {
        Path results = smoke("bench", "events");

        assertThat(Files.readString(results.resolve("events.txt")))
                .contains("streams:", "MB per 1,000 streams", "warm-up cell (latencies not kept)", "commit -> SSE delivery",
                        "with 2 more streams that stop reading")
                .containsPattern("inside the server, commit -> hand-over to the streams: mean [0-9.]+ ms; CPU over the cell,"
                        + " in cores of \\d+: Liberty [0-9.]+, PostgreSQL [0-9.]+, subscribers [0-9.]+")
                .doesNotContain("hand-over to the streams: mean 0.0 ms")
                .contains("exact feed: yes").doesNotContain("exact feed: NO");
    }

    @Test
    void theSoakPassesItsSmoke() throws Exception {
        Path results = smoke("bench", "soak");

        assertThat(Files.readString(results.resolve("soak.txt")))
                .contains("jobstate bench soak: SMOKE", "jobs MB", "database MB", "heap MB", "p99 ms", "flatness: ", "instrument: sound")
                .doesNotContain("UNSOUND");
        assertThat(Files.readAllLines(results.resolve("soak.csv"))).hasSizeGreaterThan(4)
                .first().asString().startsWith("elapsed_s,jobs_rows,jobs_dead,jobs_bytes,job_history_rows");
        assertThat(results.resolve("soak.png")).isNotEmptyFile();
    }

    /**
     * Runs the launcher with the arguments in a state folder of their own; once it succeeded, returns
     * the folder its results were copied to.
     */
    private static Path smoke(String... arguments) throws Exception {
        String name = String.join("-", arguments);
        Path log = reports.resolve(name + ".log");
        Map<String, String> environment = launcherEnvironment(state.resolve(name));
        Process launcher = launch(environment, log, Stream.concat(Stream.of(arguments), Stream.of("--smoke", "--no-build")));
        boolean ended = launcher.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!ended) {
            stop(launcher, environment, log);
        }
        Path results = reports.resolve(name);
        FolderCopy.copyTree(state.resolve(name).resolve("bench"), results);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("./jobstate %s ended within %d minutes; its output:%n%s", name, TIMEOUT_MINUTES, output).isTrue();
        assertThat(launcher.exitValue()).as("exit code of ./jobstate %s; its output:%n%s", name, output).isZero();
        return results;
    }

    private static Map<String, String> launcherEnvironment(Path stateFolder) {
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("JOBSTATE_STATE", stateFolder.toString());
        environment.put("JOBSTATE_WLP", System.getProperty("jobstate.it.wlp"));
        environment.put("JOBSTATE_SERVER", System.getProperty("jobstate.it.bench.server"));
        environment.put("JOBSTATE_HTTP_PORT", System.getProperty("jobstate.it.bench.port"));
        environment.put("JOBSTATE_WAR", System.getProperty("jobstate.it.war"));
        environment.put("JOBSTATE_PGBENCH_SCRIPTS", System.getProperty("jobstate.it.pgbench-scripts"));
        return environment;
    }

    private static Process launch(Map<String, String> environment, Path log, Stream<String> arguments) throws IOException {
        List<String> command = Stream.concat(Stream.of("bash", root.resolve("jobstate").toString()), arguments).toList();
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("JOBSTATE_DB_URL");
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * SIGTERM first: the launcher's exit trap stops Liberty and PostgreSQL. Then, whatever happened,
     * {@code ./jobstate stop} on the same server and state folder, and SIGKILL for anything left.
     */
    private static void stop(Process launcher, Map<String, String> environment, Path log) throws Exception {
        List<ProcessHandle> descendants = launcher.descendants().toList();
        launcher.destroy();
        if (!launcher.waitFor(2, TimeUnit.MINUTES)) {
            launcher.destroyForcibly();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        Process stop = launch(environment, log, Stream.of("stop"));
        if (!stop.waitFor(2, TimeUnit.MINUTES)) {
            stop.destroyForcibly();
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(dir -> !dir.isBlank() && Files.isExecutable(Path.of(dir, tool)));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
