package io.jobstate.it.storm;

import io.jobstate.client.api.JobStatus;
import io.jobstate.client.coordinator.Operation;
import io.jobstate.persistence.testing.HistoryInvariants;
import io.jobstate.persistence.testing.StoredJobs;
import io.jobstate.persistence.testing.StoredJobs.HistoryRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Holds what the clients sent and were told (HTTP exchanges, and the typed client's reports) against
 * what the database kept, for the jobs of one storm. First the database's own invariants
 * ({@link HistoryInvariants}: every job present, legal paths with versions 1, 2, 3 … and the attempt
 * rising exactly on FAILED → QUEUED, job rows equal to their last history row, recorded state, the
 * outbox equal to the history, times, the reaper's rows), then what is particular to an HTTP storm:
 * <ol>
 *   <li>every history row carries an Idempotency-Key, as every storm request did, except the rows
 *       of the lease reaper;</li>
 *   <li>every 2xx transition answer is exactly one history row with its Idempotency-Key and the
 *       requested status, at the answered version — a replay too, since it answers what the original
 *       produced; at most one answer per key is not a replay, and every re-sent applied operation was
 *       answered as applied;</li>
 *   <li>every operation reported applied is exactly one history row; every row is an answer some
 *       client got, or an operation whose every attempt failed (its outcome was unknown to the
 *       client, and then at most one row with the requested status) — nothing was applied that no
 *       client asked for, and every transition request carried a key;</li>
 *   <li>no client saw a status outside 200/201/409, except 503s whose reason the test allows
 *       (a lock wait, a database outage) and no answer where the test allows it.</li>
 * </ol>
 * Not thread-safe; {@link #check} uses an instance of its own per call.
 */
public final class HistoryChecker {

    /** Which answers besides 200/201/409 this storm may produce: 503s with these reasons, and no answer at all. */
    public record Allowed(Set<String> unavailableReasons, boolean unanswered) {

        public static Allowed nothingElse() {
            return new Allowed(Set.of(), false);
        }

        /** The pessimistic path under contention. */
        public static Allowed lockWaits() {
            return new Allowed(Set.of("LOCK_WAIT"), false);
        }

        /** A database outage; {@code unanswered} when a server instance itself goes away. */
        public static Allowed outage(boolean unanswered) {
            return new Allowed(Set.of("DATABASE", "LOCK_WAIT"), unanswered);
        }
    }

    private final List<String> violations = new ArrayList<>();

    private HistoryChecker() {
    }

    /** The violations found; empty when the storm's history is sound. */
    public static List<String> check(Connection db, Storm.Outcome storm, List<Exchange> exchanges, Allowed allowed)
            throws SQLException {
        HistoryChecker checker = new HistoryChecker();
        StoredJobs stored = StoredJobs.read(db, storm.jobs());
        checker.violations.addAll(HistoryInvariants.check(stored));
        checker.checkKeys(stored);
        checker.checkAnswers(stored, exchanges, storm.tally(), allowed);
        return checker.violations;
    }

    private void checkKeys(StoredJobs stored) {
        stored.history().forEach((id, rows) -> rows.stream().filter(row -> row.key() == null && !row.reaped())
                .forEach(row -> violations.add("job " + id + ": row " + row
                        + " carries no Idempotency-Key, yet every storm request had one")));
    }

    private void checkAnswers(StoredJobs stored, List<Exchange> exchanges, Tally tally, Allowed allowed) {
        Map<String, List<HistoryRow>> rowsByKey = new HashMap<>();
        stored.history().forEach((id, rows) -> rows.stream().filter(row -> !row.reaped())
                .forEach(row -> rowsByKey.computeIfAbsent(id + "/" + row.key(), k -> new ArrayList<>()).add(row)));
        Set<String> answeredKeys = new HashSet<>();
        Map<String, Integer> freshAnswers = new HashMap<>();
        for (Exchange exchange : exchanges) {
            checkStatus(exchange, allowed);
            if (exchange.transition() && exchange.key() == null) {
                violations.add("transition request without an Idempotency-Key: " + exchange);
            }
            if (exchange.transition() && exchange.succeeded()) {
                answeredKeys.add(exchange.jobId() + "/" + exchange.key());
                if (!exchange.replayed() && freshAnswers.merge(exchange.jobId() + "/" + exchange.key(), 1, Integer::sum) > 1) {
                    violations.add("a second answer for one key that is not marked as a replay: " + exchange);
                }
                List<HistoryRow> rows = rowsByKey.getOrDefault(exchange.jobId() + "/" + exchange.key(), List.of());
                if (rows.size() != 1 || !same(rows.get(0), exchange.requested())
                        || rows.get(0).version() != exchange.version()) {
                    violations.add("answer " + exchange + " is not exactly one history row: " + rows);
                }
            }
        }
        for (Operation operation : tally.reportedApplied) {
            List<HistoryRow> rows = rowsByKey.getOrDefault(operation.jobId() + "/" + operation.idempotencyKey(), List.of());
            if (rows.size() != 1 || !same(rows.get(0), operation.request().to())) {
                violations.add("operation reported applied " + operation + " is not exactly one history row: " + rows);
            }
        }
        Set<String> unknown = new HashSet<>();
        for (Operation operation : tally.unknownOutcome) {
            String key = operation.jobId() + "/" + operation.idempotencyKey();
            unknown.add(key);
            List<HistoryRow> rows = rowsByKey.getOrDefault(key, List.of());
            if (rows.size() > 1 || (rows.size() == 1 && !same(rows.get(0), operation.request().to()))) {
                violations.add("operation of unknown outcome " + operation + " left rows " + rows);
            }
        }
        if (tally.replaysNotApplied.sum() > 0) {
            violations.add(tally.replaysNotApplied.sum() + " re-sent applied operations were not answered as applied");
        }
        rowsByKey.forEach((key, rows) -> {
            if (!answeredKeys.contains(key) && !unknown.contains(key)) {
                violations.add("history rows " + rows + " (" + key + ") answer no request any client made or gave up on");
            }
        });
    }

    private void checkStatus(Exchange exchange, Allowed allowed) {
        int status = exchange.status();
        boolean expected = status == 200 || status == 201 || status == 409
                || (status == 503 && allowed.unavailableReasons().contains(exchange.unavailableReason()))
                || (status == 0 && allowed.unanswered());
        if (!expected) {
            violations.add("a client saw " + (status == 0 ? "no answer" : "status " + status) + ": " + exchange);
        }
    }

    /** Whether the row moved to the status a client asked for (the client keeps its own copy of the statuses). */
    private static boolean same(HistoryRow row, JobStatus requested) {
        return requested != null && row.to().name().equals(requested.name());
    }
}
