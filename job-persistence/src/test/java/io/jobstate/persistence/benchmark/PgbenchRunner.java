package io.jobstate.persistence.benchmark;

import io.jobstate.jobs.JobStatus;
import io.jobstate.persistence.internal.ServiceSql;
import io.jobstate.testing.postgres.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Runs pgbench with the compare-and-set path's own statement, sent as the service sends it (alone,
 * in auto-commit), choosing jobs and targets by the same {@link Workload} rules, and reads its
 * per-transaction log for latencies.
 */
final class PgbenchRunner {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

    private final Path pgbench;
    private final PostgresServer server;
    private final String database;
    private final Path workDir;

    PgbenchRunner(Path pgbench, PostgresServer server, String database, Path workDir) {
        this.pgbench = pgbench;
        this.server = server;
        this.database = database;
        this.workDir = workDir;
    }

    static String script(Workload workload) {
        StringBuilder script = new StringBuilder();
        if (workload == Workload.HOT) {
            script.append("\\set j random(0, ").append(workload.jobs - 1).append(")\n")
                    .append("\\set step random(0, 2)\n");
        } else {
            // the same arithmetic as Workload.next: client-owned jobs, each cycling through the targets
            script.append("\\set j (:k % :per) * :clients + :client_id\n")
                    .append("\\set step (:k / :per) % 3\n")
                    .append("\\set k :k + 1\n");
        }
        script.append("\\set jid :base + :j\n");
        for (int i = 0; i < Workload.CYCLE.length; i++) {
            script.append(i == 0 ? "\\if :step = 0\n" : i == Workload.CYCLE.length - 1 ? "\\else\n" : "\\elif :step = " + i + "\n");
            JobStatus to = Workload.CYCLE[i];
            script.append(ServiceSql.transitionWithLiterals(to, to == JobStatus.FAILED ? "bench" : null, BenchJobs.ID_SQL))
                    .append(";\n");
        }
        return script.append("\\endif\n").toString();
    }

    /**
     * Warms up on {@code warmUpJobs}, then measures on {@code jobs} from their first step: pgbench
     * keeps no client state from one invocation to the next, so each run starts on PENDING jobs.
     */
    CellResult run(Workload workload, BenchJobs warmUpJobs, BenchJobs jobs, int clients, Duration warmUp,
                   Duration duration, Connection counter) throws Exception {
        Path scriptFile = workDir.resolve("transition-" + workload.name().toLowerCase() + ".sql");
        Files.writeString(scriptFile, script(workload), StandardCharsets.UTF_8);
        invoke(scriptFile, workload, warmUpJobs, clients, warmUp, false);
        long before = jobs.appliedSoFar(counter);
        String output = invoke(scriptFile, workload, jobs, clients, duration, true);
        long applied = jobs.appliedSoFar(counter) - before;

        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + output);
        }
        Matcher failed = FAILED.matcher(output);
        long errors = failed.find() ? Long.parseLong(failed.group(1)) : 0;
        Histogram latencies = readLogs();
        double seconds = duration.toMillis() / 1000.0;
        long requests = Math.round(Double.parseDouble(tps.group(1)) * seconds);
        return new CellResult(workload, clients, "pgbench", requests, applied, seconds,
                latencies.getValueAtPercentile(50) / 1000.0, latencies.getValueAtPercentile(99) / 1000.0, errors);
    }

    private String invoke(Path script, Workload workload, BenchJobs jobs, int clients, Duration duration, boolean log)
            throws IOException, InterruptedException {
        deleteLogs();
        List<String> command = new ArrayList<>(List.of(pgbench.toString(),
                "-h", server.host(), "-p", Integer.toString(server.port()), "-U", server.user(),
                "-n", "-M", "prepared", "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 2)),
                "-T", Long.toString(Math.max(1, duration.toSeconds())),
                "-D", "base=" + jobs.base(), "-D", "k=0", "-D", "clients=" + clients,
                "-D", "per=" + Math.max(1, workload.jobs / clients),
                "-f", script.toString()));
        if (log) {
            command.addAll(List.of("-l", "--log-prefix=" + workDir.resolve("pgbench_log")));
        }
        command.add(database);
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(duration.toSeconds() + 120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        return output;
    }

    /** Each log line: client_id transaction_no latency_us script_no epoch epoch_us. */
    private Histogram readLogs() throws IOException {
        Histogram histogram = new Histogram(3);
        try (Stream<Path> logs = Files.list(workDir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("pgbench_log")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    String[] fields = line.split(" ");
                    if (fields.length >= 3 && !fields[2].equals("failed") && !fields[2].equals("skipped")) {
                        histogram.recordValue(Math.max(1, Long.parseLong(fields[2])));
                    }
                }
            }
        }
        return histogram;
    }

    private void deleteLogs() throws IOException {
        try (Stream<Path> logs = Files.list(workDir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("pgbench_log")).toList()) {
                Files.delete(log);
            }
        }
    }
}
