package io.jobstate.persistence.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jobstate.testing.postgres.PostgresBinaries;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store-alone benchmark in its smoke mode ({@code -Dbench.smoke=true} by hand), so that a
 * benchmark that stops working fails the build: every cell measured, none suspect, every column of
 * the CSV filled. It starts its own throwaway PostgreSQL; its figures mean nothing.
 *
 * <p>pgbench comes with the machine's PostgreSQL package, not with the binaries from Maven Central:
 * without it the test is skipped, except on CI ({@code CI=true}), where it fails.
 */
class TransitionBenchmarkSmokeIT {

    private static final int PATHS = 3;

    /** Kept for a look after the build: transitions.csv and the printed table. */
    private final Path out = Path.of("target", "benchmark-smoke");

    @BeforeAll
    static void pgbenchIsPresent() {
        boolean present = Files.isExecutable(PostgresBinaries.locate().resolve("pgbench"));
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(present, "the benchmark smoke needs pgbench next to the PostgreSQL server binaries"
                    + " (skipped; CI fails instead)");
        }
        assertThat(present).as("pgbench next to " + PostgresBinaries.locate()).isTrue();
    }

    @Test
    void everyCellIsMeasuredWithoutSuspectFigures() throws Exception {
        ByteArrayOutputStream table = new ByteArrayOutputStream();

        List<CellResult> cells = assertTimeoutPreemptively(Duration.ofMinutes(3),
                () -> TransitionBenchmark.run(Settings.smoke(out), new PrintStream(table, true, StandardCharsets.UTF_8)));

        Files.writeString(out.resolve("table.txt"), table.toString(StandardCharsets.UTF_8));
        assertThat(Verdict.problems(cells)).isEmpty();
        assertThat(cells).hasSize(Workload.values().length * (1 + PATHS));
        assertThat(table.toString(StandardCharsets.UTF_8)).contains(CellResult.header());
        List<String> csv = Files.readAllLines(out.resolve("transitions.csv"));
        int columns = csv.getFirst().split(",").length;
        assertThat(csv).hasSize(1 + cells.size());
        assertThat(csv).allSatisfy(line -> assertThat(line.split(",", -1))
                .hasSize(columns)
                .noneMatch(String::isBlank)
                .noneMatch("NaN"::equals));
    }
}
