package io.jobstate.persistence.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a benchmark run measures, from system properties: {@code bench.seconds} (per path and round,
 * default 5), {@code bench.warmup} (per path and cell, default 2), {@code bench.rounds} (default 3),
 * {@code bench.clients} (default 1,8,32), {@code bench.paths} (default cas,pessimistic,naive),
 * {@code bench.workloads} (default uniform,hot), {@code bench.jit} (the JIT warm-up before the
 * first cell, default 10), {@code bench.out} (default target/benchmark).
 *
 * <p>{@code bench.smoke=true} changes the defaults to a run of seconds that proves the benchmark
 * works and measures nothing: 1 s per cell, 1 s warm-up, one round, 8 clients, 1 s JIT warm-up.
 */
record Settings(Duration measure, Duration warmUp, int rounds, int[] clients, List<String> paths,
                List<Workload> workloads, Duration jit, Path out, boolean smoke) {

    static Settings fromSystemProperties() {
        boolean smoke = Boolean.getBoolean("bench.smoke");
        return new Settings(
                Duration.ofSeconds(Long.getLong("bench.seconds", smoke ? 1 : 5)),
                Duration.ofSeconds(Long.getLong("bench.warmup", smoke ? 1 : 2)),
                Integer.getInteger("bench.rounds", smoke ? 1 : 3),
                Arrays.stream(System.getProperty("bench.clients", smoke ? "8" : "1,8,32").split(","))
                        .mapToInt(s -> Integer.parseInt(s.trim())).toArray(),
                List.of(System.getProperty("bench.paths", "cas,pessimistic,naive").split(",")),
                Arrays.stream(System.getProperty("bench.workloads", "uniform,hot").split(","))
                        .map(w -> Workload.valueOf(w.trim().toUpperCase(Locale.ROOT))).toList(),
                Duration.ofSeconds(Long.getLong("bench.jit", smoke ? 1 : 10)),
                Path.of(System.getProperty("bench.out", "target/benchmark")).toAbsolutePath(),
                smoke);
    }

    /** The smoke run's settings, writing to {@code out}. */
    static Settings smoke(Path out) {
        return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, new int[] {8},
                List.of("cas", "pessimistic", "naive"), List.of(Workload.values()), Duration.ofSeconds(1), out.toAbsolutePath(), true);
    }

    int maxClients() {
        return Arrays.stream(clients).max().orElse(1);
    }
}
