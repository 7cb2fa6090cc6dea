package io.jobstate.persistence.benchmark;

import io.jobstate.persistence.internal.ServiceSql;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes the pgbench scripts of the transition benchmark — the compare-and-set path's own SQL
 * statement, jobs and targets chosen by the {@link Workload} rules — to {@code bench.out}, for the
 * full-stack benchmark ({@code ./jobstate bench}) to run against the service's own database.
 * Each script expects {@code -D base=… -D k=0 -D clients=… -D per=…} as {@link PgbenchRunner} passes them.
 * Also {@code claim.sql}: a worker's claim statement, as the service sends it for a claim of one type
 * (without an idempotency key), the type from {@code -D type=…}.
 */
public final class PgbenchScripts {

    private PgbenchScripts() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/benchmark")).toAbsolutePath();
        Files.createDirectories(out);
        for (Workload workload : Workload.values()) {
            Path script = out.resolve("transition-" + workload.name().toLowerCase(Locale.ROOT) + ".sql");
            Files.writeString(script, PgbenchRunner.script(workload), StandardCharsets.UTF_8);
        }
        Files.writeString(out.resolve("claim.sql"), ServiceSql.claimWithLiterals(":type") + ";\n", StandardCharsets.UTF_8);
    }
}
