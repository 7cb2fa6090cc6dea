package io.jobstate.persistence.internal;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Lease;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Reads jobs and history entries from JDBC rows selected with {@link #columns} / {@link #HISTORY_COLUMNS}. */
final class JobRows {

    private static final List<String> JOB_COLUMNS = List.of("id", "type", "status", "version", "attempt",
            "progress", "payload", "result", "error", "created_at", "updated_at", "started_at", "finished_at",
            "lease_token", "lease_expires_at", "lease_seconds");
    private static final Set<String> JSON_COLUMNS = Set.of("payload", "result");

    static final int COLUMN_COUNT = JOB_COLUMNS.size();

    /** The columns of a history entry, in the order {@link #historyEntry(ResultSet, int)} reads them. */
    static final String HISTORY_COLUMNS = "h.version, h.from_status, h.to_status, h.at, h.attempt, "
            + "h.idempotency_key, h.request_fingerprint, h.actor";
    static final int HISTORY_COLUMN_COUNT = 8;

    private JobRows() {
    }

    /** The columns of a job of {@code table} (a name or alias), in the order {@link #job(ResultSet, int)} reads them. */
    static String columns(String table) {
        return JOB_COLUMNS.stream()
                .map(column -> table + "." + column + (JSON_COLUMNS.contains(column) ? "::text" : ""))
                .collect(Collectors.joining(", "));
    }

    static Job job(ResultSet row, int first) throws SQLException {
        int i = first;
        return new Job(
                row.getObject(i++, UUID.class),
                row.getString(i++),
                JobStatus.valueOf(row.getString(i++)),
                row.getLong(i++),
                row.getInt(i++),
                row.getInt(i++),
                row.getString(i++),
                row.getString(i++),
                row.getString(i++),
                instant(row, i++),
                instant(row, i++),
                instant(row, i++),
                instant(row, i++),
                lease(row, i));
    }

    private static Lease lease(ResultSet row, int first) throws SQLException {
        String token = row.getString(first);
        return token == null ? null : new Lease(token, instant(row, first + 1), row.getInt(first + 2));
    }

    /** The history entry starting at column {@code first}, or null when a LEFT JOIN found none. */
    static HistoryEntry historyEntry(ResultSet row, int first) throws SQLException {
        long version = row.getLong(first);
        if (row.wasNull()) {
            return null;
        }
        return new HistoryEntry(version,
                JobStatus.valueOf(row.getString(first + 1)),
                JobStatus.valueOf(row.getString(first + 2)),
                instant(row, first + 3),
                row.getInt(first + 4),
                row.getString(first + 5),
                row.getString(first + 6),
                row.getString(first + 7));
    }

    static Instant instant(ResultSet row, int column) throws SQLException {
        return Timestamps.toInstant(row.getObject(column, OffsetDateTime.class));
    }
}
