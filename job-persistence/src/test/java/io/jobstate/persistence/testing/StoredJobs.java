package io.jobstate.persistence.testing;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.JobStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the database holds for a set of jobs after a test drove them: each job's row, its history (in
 * version order) and its outbox (in outbox order, the order events were written; the published
 * {@code seq} may still be pending). Read with plain JDBC, independently of the store under test.
 * Immutable and thread-safe once read.
 *
 * @param ids     the jobs asked for (some may be missing from {@code jobs})
 * @param jobs    the job rows found
 * @param history each found job's history rows, by version
 * @param events  each found job's outbox rows, by outbox id
 */
public record StoredJobs(List<UUID> ids, Map<UUID, JobRow> jobs, Map<UUID, List<HistoryRow>> history,
                         Map<UUID, List<EventRow>> events) {

    /** A {@code jobs} row: its status, version and attempt, and the state transitions and reports set. */
    public record JobRow(JobStatus status, long version, int attempt, State state) {
    }

    /** A {@code job_history} row; {@code state} is the job's state as the transition left it (schema V4). */
    public record HistoryRow(long version, JobStatus from, JobStatus to, int attempt, String key, String fingerprint,
                             String actor, Instant at, State state) {

        /** A transition the service made by itself: an expired lease reaped. */
        public boolean reaped() {
            return HistoryEntry.REAPER.equals(actor);
        }
    }

    /** An event written, numbered or not ({@link WrittenEvents}). */
    public record EventRow(long outboxId, long version, JobStatus from, JobStatus to) {
    }

    /**
     * The columns a job's row and its history rows share ({@code result} as jsonb text). A history row
     * written before schema V4 has none: all null.
     */
    public record State(Integer progress, String result, String error, Instant startedAt, Instant finishedAt,
                        String leaseToken, Instant leaseExpiresAt, Integer leaseSeconds) {

        /**
         * Only what a status change sets: progress reports and heartbeats change {@code progress} and
         * {@code lease_expires_at} of a RUNNING job without a history row.
         */
        public State setByTransitions() {
            return new State(null, result, error, startedAt, finishedAt, leaseToken, null, leaseSeconds);
        }
    }

    private static final String STATE = "progress, result::text, error, started_at, finished_at, lease_token,"
            + " lease_expires_at, lease_seconds";

    public StoredJobs {
        ids = List.copyOf(ids);
        jobs = Map.copyOf(jobs);
        history = copy(history);
        events = copy(events);
    }

    public static StoredJobs read(Connection db, Collection<UUID> ids) throws SQLException {
        Map<UUID, JobRow> jobs = new HashMap<>();
        Map<UUID, List<HistoryRow>> history = new HashMap<>();
        Map<UUID, List<EventRow>> events = new HashMap<>();
        each(db, "SELECT id, status, version, attempt, " + STATE + " FROM jobs WHERE id = ANY (?)", ids, rs ->
                jobs.put(rs.getObject(1, UUID.class), new JobRow(status(rs, 2), rs.getLong(3), rs.getInt(4), state(rs, 5))));
        each(db, "SELECT job_id, version, from_status, to_status, attempt, idempotency_key, request_fingerprint, actor,"
                + " at, " + STATE + " FROM job_history WHERE job_id = ANY (?) ORDER BY job_id, version", ids, rs ->
                history.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>()).add(new HistoryRow(
                        rs.getLong(2), status(rs, 3), status(rs, 4), rs.getInt(5), rs.getString(6), rs.getString(7),
                        rs.getString(8), instant(rs, 9), state(rs, 10))));
        each(db, "SELECT job_id, outbox_id, version, from_status, to_status FROM " + WrittenEvents.TABLE + " e WHERE job_id = ANY (?)"
                + " ORDER BY outbox_id", ids, rs ->
                events.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>()).add(new EventRow(
                        rs.getLong(2), rs.getLong(3), status(rs, 4), status(rs, 5))));
        return new StoredJobs(List.copyOf(ids), jobs, history, events);
    }

    /** The job's history rows by version; empty for a job without any. */
    public List<HistoryRow> history(UUID id) {
        return history.getOrDefault(id, List.of());
    }

    /** The job's outbox rows by outbox id; empty for a job without any. */
    public List<EventRow> events(UUID id) {
        return events.getOrDefault(id, List.of());
    }

    /** The history row of {@code version}, or null when the job's history has none. */
    public HistoryRow entry(UUID id, long version) {
        List<HistoryRow> rows = history(id);
        // a sound history holds version v at position v - 1; look further only when it does not
        if (version >= 1 && version <= rows.size() && rows.get((int) version - 1).version() == version) {
            return rows.get((int) version - 1);
        }
        return rows.stream().filter(row -> row.version() == version).findFirst().orElse(null);
    }

    public long historyRows() {
        return history.values().stream().mapToLong(List::size).sum();
    }

    public long eventRows() {
        return events.values().stream().mapToLong(List::size).sum();
    }

    private static State state(ResultSet rs, int first) throws SQLException {
        return new State(rs.getObject(first, Integer.class), rs.getString(first + 1), rs.getString(first + 2),
                instant(rs, first + 3), instant(rs, first + 4), rs.getString(first + 5), instant(rs, first + 6),
                rs.getObject(first + 7, Integer.class));
    }

    private static JobStatus status(ResultSet rs, int column) throws SQLException {
        return JobStatus.valueOf(rs.getString(column));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Reads each row of {@code sql}, whose one parameter is the array of {@code ids}. */
    private static void each(Connection db, String sql, Collection<UUID> ids, RowReader reader) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setArray(1, db.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    reader.read(rows);
                }
            }
        }
    }

    private interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    private static <T> Map<UUID, List<T>> copy(Map<UUID, List<T>> rows) {
        Map<UUID, List<T>> copy = new HashMap<>();
        rows.forEach((id, list) -> copy.put(id, List.copyOf(list)));
        return Map.copyOf(copy);
    }
}
