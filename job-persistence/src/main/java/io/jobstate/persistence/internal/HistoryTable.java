package io.jobstate.persistence.internal;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.JobStatus;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The SQL side of {@code job_history}, in one place: the row a transition writes (from the job row it
 * just wrote) and how an entry is read back. Each row records the job's state as the transition left
 * it (schema V4), which is what a replay answers with; rows written before V4 have none. Thread-safe
 * (stateless).
 */
final class HistoryTable {

    /** The columns of an entry of alias {@code h}, in the order {@link #entry(ResultSet, int)} reads them. */
    static final String COLUMNS = "h.version, h.from_status, h.to_status, h.at, h.attempt, h.idempotency_key,"
            + " h.request_fingerprint, h.actor, h.reason, h.progress, h.result::text, h.error, h.started_at,"
            + " h.finished_at, h.lease_token, h.lease_expires_at, h.lease_seconds";
    static final int COLUMN_COUNT = 17;

    private HistoryTable() {
    }

    /**
     * An INSERT of the history row of every job row {@code written} (a CTE holding the updated
     * {@code jobs} rows, with {@code previous_status}): the transition, the request's key, fingerprint,
     * reason and actor, and the job's state after it.
     */
    static BoundSql insertFrom(String written, String key, String fingerprint, String reason, String actor) {
        return BoundSql.builder()
                .append("INSERT INTO job_history (job_id, version, from_status, to_status, at, attempt, idempotency_key,"
                        + " request_fingerprint, reason, actor, progress, result, error, started_at, finished_at,"
                        + " lease_token, lease_expires_at, lease_seconds)")
                .append(" SELECT id, version, previous_status, status, updated_at, attempt")
                .append(", ?", key)
                .append(", ?", fingerprint)
                .append(", ?", reason)
                .append(", ?", actor)
                .append(", progress, result, error, started_at, finished_at, lease_token, lease_expires_at, lease_seconds"
                        + " FROM " + written)
                .build();
    }

    /** The entry starting at column {@code first}, or null when a LEFT JOIN found none. */
    static HistoryEntry entry(ResultSet row, int first) throws SQLException {
        long version = row.getLong(first);
        if (row.wasNull()) {
            return null;
        }
        int progress = row.getInt(first + 9);
        HistoryEntry.StateAfter after = row.wasNull() ? null : new HistoryEntry.StateAfter(progress,
                row.getString(first + 10),
                row.getString(first + 11),
                JobTable.instant(row, first + 12),
                JobTable.instant(row, first + 13),
                JobTable.lease(row, first + 14));
        return new HistoryEntry(version,
                JobStatus.valueOf(row.getString(first + 1)),
                JobStatus.valueOf(row.getString(first + 2)),
                JobTable.instant(row, first + 3),
                row.getInt(first + 4),
                row.getString(first + 5),
                row.getString(first + 6),
                row.getString(first + 7),
                row.getString(first + 8),
                after);
    }
}
