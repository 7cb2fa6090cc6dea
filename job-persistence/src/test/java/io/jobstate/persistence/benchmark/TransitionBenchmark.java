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
import java.util.ArrayList;
import java.util.List;

/**
 * Transitions/s and latency of the compare-and-set path, the pessimistic path and the naive
 * control, next to pgbench executing the compare-and-set path's own SQL transaction, on one durable
 * (fsync on, synchronous_commit on) throwaway PostgreSQL, at 1, 8 and 32 clients, on a uniform and
 * a hot workload. Prints a table and writes {@code target/benchmark/transitions.csv}.
 *
 * <p>Each cell runs pgbench and every path in turn, {@code bench.rounds} times, and reports the
 * median round of each: interleaving keeps slow drifts of the machine out of the ratios. Settings
 * are system properties, see {@link Settings}; {@code -Dbench.smoke=true} is a run of seconds that CI
 * runs too ({@link TransitionBenchmarkSmokeIT}). The run fails, after printing its table and writing
 * its CSV, when its figures are suspect ({@link Verdict}).
 */
public final class TransitionBenchmark {

    private TransitionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        List<CellResult> cells = run(settings, new PrintStream(System.out, true, StandardCharsets.UTF_8));
        List<String> problems = Verdict.problems(cells);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the figures are suspect: " + String.join("; ", problems));
        }
    }

    /** Runs every cell, prints the table, writes the CSV; returns every cell (see {@link Verdict}). */
    static List<CellResult> run(Settings settings, PrintStream console) throws Exception {
        Files.createDirectories(settings.out());
        List<CellResult> all = new ArrayList<>();
        try (ThrowawayPostgres server = ThrowawayPostgres.start(PostgresSettings.durable())) {
            TestDatabase database = server.createDatabase("bench");
            StoreFixture fixture = StoreFixture.on(database, settings.maxClients());
            PgbenchRunner pgbench = new PgbenchRunner(PostgresBinaries.locate().resolve("pgbench"), server,
                    database.name(), settings.out());
            List<String> csv = new ArrayList<>(List.of(CellResult.csvHeader()));
            console.println("jobstate transition benchmark: " + (settings.smoke() ? "SMOKE (proves the benchmark works; "
                    + "the figures mean nothing): " : "") + settings.rounds() + " interleaved rounds of "
                    + settings.measure().toSeconds() + " s per path and cell (median shown), "
                    + settings.warmUp().toSeconds() + " s warm-up each; PostgreSQL durable (fsync and "
                    + "synchronous_commit on); " + Runtime.getRuntime().availableProcessors() + " cores");
            NaiveReadValidateWriteStore naive = new NaiveReadValidateWriteStore(fixture.dataSource());
            try (Connection admin = database.connect()) {
                Cells cells = new Cells(admin, pgbench, settings, path -> switch (path) {
                    case "cas" -> fixture.store(LockingPath.CAS);
                    case "pessimistic" -> fixture.store(LockingPath.PESSIMISTIC);
                    default -> naive;
                });
                cells.warmUpJit(settings.jit());
                console.println(CellResult.header());
                for (Workload workload : settings.workloads()) {
                    for (int clients : settings.clients()) {
                        List<CellResult> results = cells.measure(workload, clients);
                        CellResult reference = results.getFirst();
                        for (CellResult cell : results) {
                            console.println(cell.row(reference));
                            csv.add(cell.csv(reference));
                        }
                        all.addAll(results);
                    }
                }
            } finally {
                fixture.close();
            }
            Files.write(settings.out().resolve("transitions.csv"), csv, StandardCharsets.UTF_8);
            console.println("CSV: " + settings.out().resolve("transitions.csv"));
        }
        return all;
    }
}
