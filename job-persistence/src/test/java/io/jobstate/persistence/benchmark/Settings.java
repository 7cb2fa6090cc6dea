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
 * {@code bench.workloads} (default uniform,hot), {@code bench.out} (default target/benchmark).
 */
record Settings(Duration measure, Duration warmUp, int rounds, int[] clients, List<String> paths,
                List<Workload> workloads, Path out) {

    static Settings fromSystemProperties() {
        return new Settings(
                Duration.ofSeconds(Long.getLong("bench.seconds", 5)),
                Duration.ofSeconds(Long.getLong("bench.warmup", 2)),
                Integer.getInteger("bench.rounds", 3),
                Arrays.stream(System.getProperty("bench.clients", "1,8,32").split(","))
                        .mapToInt(s -> Integer.parseInt(s.trim())).toArray(),
                List.of(System.getProperty("bench.paths", "cas,pessimistic,naive").split(",")),
                Arrays.stream(System.getProperty("bench.workloads", "uniform,hot").split(","))
                        .map(w -> Workload.valueOf(w.trim().toUpperCase(Locale.ROOT))).toList(),
                Path.of(System.getProperty("bench.out", "target/benchmark")).toAbsolutePath());
    }

    int maxClients() {
        return Arrays.stream(clients).max().orElse(1);
    }
}
