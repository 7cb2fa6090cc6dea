package io.jobstate.persistence.internal;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The job as it is now, the history entry already applied with a given idempotency key (if any),
 * and the database's clock, read in one statement after a conditional write found nothing to do.
 */
record CurrentState(Job job, Optional<HistoryEntry> appliedWithSameKey, Instant now) {

    private static final String SQL = "SELECT " + JobTable.columns("j") + ", " + HistoryTable.COLUMNS + ", now()"
            + " FROM jobs j LEFT JOIN job_history h ON h.job_id = j.id AND h.idempotency_key = ?"
            + " WHERE j.id = ?";

    /** The state of job {@code id}, or empty if there is no such job. */
    static Optional<CurrentState> read(Connection connection, UUID id, String idempotencyKey) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setString(1, idempotencyKey);
            statement.setObject(2, id);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Job job = JobTable.job(row, 1);
                HistoryEntry entry = HistoryTable.entry(row, JobTable.COLUMN_COUNT + 1);
                Instant now = JobTable.instant(row, JobTable.COLUMN_COUNT + HistoryTable.COLUMN_COUNT + 1);
                return Optional.of(new CurrentState(job, Optional.ofNullable(entry), now));
            }
        }
    }
}
