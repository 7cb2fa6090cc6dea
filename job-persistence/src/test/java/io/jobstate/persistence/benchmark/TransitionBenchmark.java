package io.jobstate.persistence.benchmark;

import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.concurrency.NaiveReadValidateWriteStore;
import io.jobstate.persistence.support.StoreFixture;
import io.jobstate.testing.postgres.PostgresBinaries;
import io.jobstate.testing.postgres.PostgresSettings;
import io.jobstate.testing.postgres.TestDatabase;
import io.jobstate.testing.postgres.ThrowawayPostgres;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Transitions/s and latency of the compare-and-set path, the pessimistic path and the naive
 * control, next to pgbench executing the compare-and-set path's own SQL transaction, on one durable
 * (fsync on, synchronous_commit on) throwaway PostgreSQL, at 1, 8 and 32 clients, on a uniform and
 * a hot workload. Prints a table and writes {@code target/benchmark/transitions.csv}.
 *
 * <p>System properties: {@code bench.seconds} (measured time per cell, default 5),
 * {@code bench.warmup} (default 2), {@code bench.clients} (default 1,8,32), {@code bench.out}.
 */
public final class TransitionBenchmark {

    private TransitionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration measure = Duration.ofSeconds(Long.getLong("bench.seconds", 5));
        Duration warmUp = Duration.ofSeconds(Long.getLong("bench.warmup", 2));
        int[] clientCounts = Arrays.stream(System.getProperty("bench.clients", "1,8,32").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int maxClients = Arrays.stream(clientCounts).max().orElse(1);
        Path out = Path.of(System.getProperty("bench.out", "target/benchmark")).toAbsolutePath();
        Files.createDirectories(out);
        PrintStream console = new PrintStream(System.out, true, StandardCharsets.UTF_8);

        try (ThrowawayPostgres server = ThrowawayPostgres.start(PostgresSettings.durable())) {
            TestDatabase database = server.createDatabase("bench");
            StoreFixture fixture = StoreFixture.on(database, maxClients);
            PgbenchRunner pgbench = new PgbenchRunner(PostgresBinaries.locate().resolve("pgbench"), server,
                    database.name(), out);
            List<String> csv = new ArrayList<>(List.of(CellResult.csvHeader()));
            console.println("jobstate transition benchmark: " + measure.toSeconds() + " s per cell after "
                    + warmUp.toSeconds() + " s warm-up; PostgreSQL durable (fsync, synchronous_commit on); "
                    + Runtime.getRuntime().availableProcessors() + " cores");
            console.println(CellResult.header());
            long base = 1;
            try (Connection admin = database.connect();
                 NaiveReadValidateWriteStore naive = new NaiveReadValidateWriteStore(database)) {
                for (Workload workload : Workload.values()) {
                    for (int clients : clientCounts) {
                        List<CellResult> cells = new ArrayList<>();
                        BenchJobs pgbenchWarmUp = BenchJobs.create(admin, "warm-pgbench-" + base, base, workload.jobs);
                        base += workload.jobs;
                        BenchJobs forPgbench = BenchJobs.create(admin, "bench-pgbench-" + base, base, workload.jobs);
                        base += workload.jobs;
                        checkpoint(admin);
                        cells.add(pgbench.run(workload, pgbenchWarmUp, forPgbench, clients, warmUp, measure, admin));
                        for (String path : List.of("cas", "pessimistic", "naive")) {
                            JobStore store = switch (path) {
                                case "cas" -> fixture.store(LockingPath.CAS, Duration.ofSeconds(5));
                                case "pessimistic" -> fixture.store(LockingPath.PESSIMISTIC, Duration.ofSeconds(5));
                                default -> naive;
                            };
                            BenchJobs warmUpJobs = BenchJobs.create(admin, "warm-" + path + "-" + base, base, workload.jobs);
                            base += workload.jobs;
                            BenchJobs jobs = BenchJobs.create(admin, "bench-" + path + "-" + base, base, workload.jobs);
                            base += workload.jobs;
                            checkpoint(admin);
                            new JavaRunner(store, workload, warmUpJobs, clients).run(path, warmUp);
                            cells.add(new JavaRunner(store, workload, jobs, clients).run(path, measure));
                        }
                        CellResult reference = cells.getFirst();
                        for (CellResult cell : cells) {
                            console.println(cell.row(reference));
                            csv.add(cell.csv(reference));
                        }
                    }
                }
            } finally {
                fixture.close();
            }
            Files.write(out.resolve("transitions.csv"), csv, StandardCharsets.UTF_8);
            console.println("CSV: " + out.resolve("transitions.csv").toAbsolutePath());
        }
    }

    private static void checkpoint(Connection admin) throws Exception {
        try (Statement statement = admin.createStatement()) {
            statement.execute("CHECKPOINT");
        }
    }
}
