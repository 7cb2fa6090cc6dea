package io.jobstate.persistence.internal;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/**
 * Writes a decided transition to the job's row: one UPDATE that also checks the version it was
 * decided on, and records the status it leaves. Used by the pessimistic path on the row it holds
 * locked, so the version check is a second guard, never a race.
 */
final class JobRowUpdate {

    private static final String UPDATE = "UPDATE jobs SET previous_status = status, status = ?, version = ?,"
            + " attempt = ?, progress = ?, result = CAST(? AS jsonb), error = ?, updated_at = ?, started_at = ?,"
            + " finished_at = ?, lease_token = ?, lease_seconds = ?,"
            // the lease runs from the database's clock at the write, never this server's
            + " lease_expires_at = clock_timestamp() + CAST(? AS integer) * interval '1 second'"
            + " WHERE id = ? AND version = ? RETURNING " + JobRows.columns("jobs");

    private JobRowUpdate() {
    }

    /**
     * Writes {@code next} and returns it as stored: PostgreSQL normalises jsonb, and the row's
     * timestamps are the database clock at the moment of the write (trigger jobs_guard).
     */
    static Job write(Connection connection, Job current, Job next) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
            update.setString(1, next.status().name());
            update.setLong(2, next.version());
            update.setInt(3, next.attempt());
            update.setInt(4, next.progress());
            update.setString(5, next.result());
            update.setString(6, next.error());
            update.setTimestamp(7, Timestamp.from(next.updatedAt()));
            setTimestamp(update, 8, next.startedAt());
            setTimestamp(update, 9, next.finishedAt());
            Lease lease = next.lease();
            update.setString(10, lease == null ? null : lease.token());
            setInteger(update, 11, lease == null ? null : lease.seconds());
            setInteger(update, 12, lease == null ? null : lease.seconds());
            update.setObject(13, next.id());
            update.setLong(14, current.version());
            try (ResultSet row = update.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("job " + next.id() + " changed under its row lock");
                }
                return JobRows.job(row, 1);
            }
        }
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    private static void setTimestamp(PreparedStatement statement, int index, java.time.Instant value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setTimestamp(index, Timestamp.from(value));
        }
    }
}
