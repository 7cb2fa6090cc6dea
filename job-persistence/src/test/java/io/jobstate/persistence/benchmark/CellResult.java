package io.jobstate.persistence.benchmark;

import java.util.Locale;

/** The figures of one (workload, clients, path) cell. */
record CellResult(Workload workload, int clients, String path, long requests, long applied, double seconds,
                  double p50Millis, double p99Millis, long errors) {

    double requestsPerSecond() {
        return requests / seconds;
    }

    double appliedPerSecond() {
        return applied / seconds;
    }

    static String header() {
        return String.format(Locale.ROOT, "%-8s %7s %-12s %10s %11s %8s %8s %7s %9s",
                "workload", "clients", "path", "requests/s", "applied/s", "p50 ms", "p99 ms", "errors", "vs pgbench");
    }

    String row(CellResult pgbench) {
        String ratio = pgbench == null || pgbench == this ? "" : String.format(Locale.ROOT, "%8.0f%%",
                100 * appliedPerSecond() / pgbench.appliedPerSecond());
        return String.format(Locale.ROOT, "%-8s %7d %-12s %10.0f %11.0f %8.2f %8.2f %7d %9s",
                workload.name().toLowerCase(Locale.ROOT), clients, path, requestsPerSecond(), appliedPerSecond(),
                p50Millis, p99Millis, errors, ratio);
    }

    static String csvHeader() {
        return "workload,clients,path,requests,applied,seconds,requests_per_s,applied_per_s,p50_ms,p99_ms,errors,"
                + "applied_ratio_to_pgbench";
    }

    String csv(CellResult pgbench) {
        return String.format(Locale.ROOT, "%s,%d,%s,%d,%d,%.3f,%.1f,%.1f,%.3f,%.3f,%d,%.3f",
                workload.name().toLowerCase(Locale.ROOT), clients, path, requests, applied, seconds,
                requestsPerSecond(), appliedPerSecond(), p50Millis, p99Millis, errors,
                pgbench == null ? Double.NaN : appliedPerSecond() / pgbench.appliedPerSecond());
    }
}
