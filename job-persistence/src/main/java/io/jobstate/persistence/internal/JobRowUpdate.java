package io.jobstate.persistence.internal;

import io.jobstate.jobs.Job;
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
            + " finished_at = ? WHERE id = ? AND version = ? RETURNING " + JobRows.columns("jobs");

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
            update.setObject(10, next.id());
            update.setLong(11, current.version());
            try (ResultSet row = update.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("job " + next.id() + " changed under its row lock");
                }
                return JobRows.job(row, 1);
            }
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
