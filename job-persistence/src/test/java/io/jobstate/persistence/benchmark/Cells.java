package io.jobstate.persistence.benchmark;

import io.jobstate.jobs.store.JobStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs the cells of the benchmark: pgbench first, then each Java path, interleaved over rounds. */
final class Cells {

    private static final String PGBENCH = "pgbench";

    private final Connection admin;
    private final PgbenchRunner pgbench;
    private final Settings settings;
    private final Function<String, JobStore> stores;
    private long nextJob = 1;

    Cells(Connection admin, PgbenchRunner pgbench, Settings settings, Function<String, JobStore> stores) {
        this.admin = admin;
        this.pgbench = pgbench;
        this.settings = settings;
        this.stores = stores;
    }

    /** Lets the JIT compile the Java paths before anything is measured. */
    void warmUpJit(Duration each) throws Exception {
        for (String path : settings.paths()) {
            for (Workload workload : Workload.values()) {
                new JavaRunner(stores.apply(path), workload, jobs("jit", workload), settings.maxClients())
                        .run(path, each.dividedBy(2));
            }
        }
    }

    /** The median round of pgbench and of each path, pgbench first. */
    List<CellResult> measure(Workload workload, int clients) throws Exception {
        Map<String, List<CellResult>> rounds = new LinkedHashMap<>();
        for (int round = 0; round < settings.rounds(); round++) {
            BenchJobs warm = jobs("warm", workload);
            BenchJobs measured = jobs(PGBENCH, workload);
            checkpoint();
            rounds.computeIfAbsent(PGBENCH, p -> new ArrayList<>())
                    .add(pgbench.run(workload, warm, measured, clients, settings.warmUp(), settings.measure(), admin));
            for (String path : settings.paths()) {
                JobStore store = stores.apply(path);
                BenchJobs warmJava = jobs("warm", workload);
                BenchJobs measuredJava = jobs(path, workload);
                checkpoint();
                new JavaRunner(store, workload, warmJava, clients).run(path, settings.warmUp());
                rounds.computeIfAbsent(path, p -> new ArrayList<>())
                        .add(new JavaRunner(store, workload, measuredJava, clients).run(path, settings.measure()));
            }
        }
        return rounds.values().stream().map(Cells::median).toList();
    }

    private static CellResult median(List<CellResult> rounds) {
        List<CellResult> sorted = rounds.stream().sorted(Comparator.comparingDouble(CellResult::appliedPerSecond)).toList();
        return sorted.get(sorted.size() / 2);
    }

    private BenchJobs jobs(String tag, Workload workload) throws SQLException {
        BenchJobs jobs = BenchJobs.create(admin, tag + "-" + nextJob, nextJob, workload.jobs);
        nextJob += workload.jobs;
        return jobs;
    }

    private void checkpoint() throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("CHECKPOINT");
        }
    }
}
