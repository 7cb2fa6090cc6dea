package io.jobstate.it.storm;

import io.jobstate.client.api.JobStatus;
import io.jobstate.client.coordinator.Operation;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Holds what the clients sent and were told against what the database kept, for the jobs of one
 * storm:
 * <ol>
 *   <li>every history is a legal path of the state machine, versions 1, 2, 3 … without gaps, the
 *       attempt rising by one exactly on FAILED → QUEUED;</li>
 *   <li>every job row equals its last history row (status, version, attempt);</li>
 *   <li>the outbox holds exactly the history, per job in version order;</li>
 *   <li>every 2xx transition answer is exactly one history row with its Idempotency-Key and the
 *       requested status, at the answered version — a replay too, since it answers what the original
 *       produced; at most one answer per key is not a replay, and every re-sent applied operation was
 *       answered as applied;</li>
 *   <li>every operation reported applied is exactly one history row; every row is an answer some
 *       client got, or an operation whose every attempt failed (its outcome was unknown to the
 *       client, and then at most one row with the requested status) — nothing was applied that no
 *       client asked for, and every row and transition request carries a key — except the rows of
 *       the lease reaper, which carry none and must each be RUNNING → FAILED;</li>
 *   <li>no client saw a status outside 200/201/409, except 503s whose reason the test allows
 *       (a lock wait, a database outage) and no answer where the test allows it.</li>
 * </ol>
 */
public final class HistoryChecker {

    private record Row(long version, JobStatus from, JobStatus to, int attempt, String key, String actor) {

        /** A transition the service made by itself: an expired lease reaped. */
        boolean reaped() {
            return "reaper".equals(actor);
        }
    }

    private record Event(long version, JobStatus from, JobStatus to) {
    }

    private record JobRow(JobStatus status, long version, int attempt) {
    }

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
        Map<UUID, List<Row>> history = checker.history(db, storm.jobs());
        checker.checkPathsAndRows(history, checker.jobRows(db, storm.jobs()));
        checker.checkOutbox(storm.jobs(), history, checker.events(db, storm.jobs()));
        checker.checkAnswers(history, exchanges, storm.tally(), allowed);
        return checker.violations;
    }

    private void checkPathsAndRows(Map<UUID, List<Row>> history, Map<UUID, JobRow> jobs) {
        jobs.forEach((id, job) -> {
            List<Row> rows = history.getOrDefault(id, List.of());
            JobStatus status = JobStatus.PENDING;
            int attempt = 1;
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                int expectedAttempt = status == JobStatus.FAILED && row.to() == JobStatus.QUEUED ? attempt + 1 : attempt;
                if (row.version() != i + 1 || row.from() != status || !status.canMoveTo(row.to())
                        || row.attempt() != expectedAttempt) {
                    violations.add("job " + id + ": row " + row + " does not follow " + status + " (attempt " + attempt
                            + ") at version " + i);
                }
                if (row.reaped() && (row.from() != JobStatus.RUNNING || row.to() != JobStatus.FAILED || row.key() != null)) {
                    violations.add("job " + id + ": the reaper made " + row + ", not an expired run's RUNNING -> FAILED");
                }
                if (row.key() == null && !row.reaped()) {
                    violations.add("job " + id + ": row " + row + " carries no Idempotency-Key, yet every storm request had one");
                }
                status = row.to();
                attempt = row.attempt();
            }
            if (job.status() != status || job.version() != rows.size() || job.attempt() != attempt) {
                violations.add("job " + id + ": row " + job + " is not its history's end " + status + "/" + rows.size());
            }
        });
    }

    private void checkOutbox(List<UUID> jobs, Map<UUID, List<Row>> history, Map<UUID, List<Event>> events) {
        jobs.forEach(id -> {
            List<Event> expected = history.getOrDefault(id, List.of()).stream()
                    .map(r -> new Event(r.version(), r.from(), r.to())).toList();
            if (!expected.equals(events.getOrDefault(id, List.of()))) {
                violations.add("job " + id + ": outbox " + events.get(id) + " is not its history " + expected);
            }
        });
    }

    private void checkAnswers(Map<UUID, List<Row>> history, List<Exchange> exchanges, Tally tally, Allowed allowed) {
        Map<String, List<Row>> rowsByKey = new HashMap<>();
        history.forEach((id, rows) -> rows.stream().filter(row -> !row.reaped())
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
                List<Row> rows = rowsByKey.getOrDefault(exchange.jobId() + "/" + exchange.key(), List.of());
                if (rows.size() != 1 || rows.get(0).to() != exchange.requested()
                        || rows.get(0).version() != exchange.version()) {
                    violations.add("answer " + exchange + " is not exactly one history row: " + rows);
                }
            }
        }
        for (Operation operation : tally.reportedApplied) {
            List<Row> rows = rowsByKey.getOrDefault(operation.jobId() + "/" + operation.idempotencyKey(), List.of());
            if (rows.size() != 1 || rows.get(0).to() != operation.request().to()) {
                violations.add("operation reported applied " + operation + " is not exactly one history row: " + rows);
            }
        }
        Set<String> unknown = new HashSet<>();
        for (Operation operation : tally.unknownOutcome) {
            String key = operation.jobId() + "/" + operation.idempotencyKey();
            unknown.add(key);
            List<Row> rows = rowsByKey.getOrDefault(key, List.of());
            if (rows.size() > 1 || (rows.size() == 1 && rows.get(0).to() != operation.request().to())) {
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

    private Map<UUID, List<Row>> history(Connection db, List<UUID> jobs) throws SQLException {
        Map<UUID, List<Row>> history = new HashMap<>();
        try (ResultSet rs = query(db, "SELECT job_id, version, from_status, to_status, attempt, idempotency_key, actor"
                + " FROM job_history WHERE job_id = ANY (?) ORDER BY job_id, version", jobs)) {
            while (rs.next()) {
                history.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>()).add(new Row(rs.getLong(2),
                        JobStatus.valueOf(rs.getString(3)), JobStatus.valueOf(rs.getString(4)), rs.getInt(5), rs.getString(6),
                        rs.getString(7)));
            }
        }
        return history;
    }

    private Map<UUID, JobRow> jobRows(Connection db, List<UUID> jobs) throws SQLException {
        Map<UUID, JobRow> rows = new HashMap<>();
        try (ResultSet rs = query(db, "SELECT id, status, version, attempt FROM jobs WHERE id = ANY (?)", jobs)) {
            while (rs.next()) {
                rows.put(rs.getObject(1, UUID.class), new JobRow(JobStatus.valueOf(rs.getString(2)), rs.getLong(3), rs.getInt(4)));
            }
        }
        if (rows.size() != jobs.size()) {
            violations.add((jobs.size() - rows.size()) + " of the storm's jobs are missing from the database");
        }
        return rows;
    }

    private Map<UUID, List<Event>> events(Connection db, List<UUID> jobs) throws SQLException {
        Map<UUID, List<Event>> events = new HashMap<>();
        try (ResultSet rs = query(db, "SELECT job_id, version, from_status, to_status FROM job_events"
                + " WHERE job_id = ANY (?) ORDER BY outbox_id", jobs)) {
            while (rs.next()) {
                events.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>()).add(new Event(rs.getLong(2),
                        JobStatus.valueOf(rs.getString(3)), JobStatus.valueOf(rs.getString(4))));
            }
        }
        return events;
    }

    private static ResultSet query(Connection db, String sql, List<UUID> jobs) throws SQLException {
        PreparedStatement statement = db.prepareStatement(sql);
        statement.closeOnCompletion();
        Array ids = db.createArrayOf("uuid", jobs.toArray());
        statement.setArray(1, ids);
        return statement.executeQuery();
    }
}
