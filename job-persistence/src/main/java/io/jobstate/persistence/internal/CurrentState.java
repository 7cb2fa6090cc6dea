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
 * and the database's clock: read in one statement after a conditional write found nothing to do, or
 * returned by the write itself (a transition's statement explains itself, {@link TransitionStatement}).
 */
record CurrentState(Job job, Optional<HistoryEntry> appliedWithSameKey, Instant now) {

    /** What is read beside the job's columns: the entry (alias {@code h}), then the clock. */
    static final String COLUMNS = HistoryTable.COLUMNS + ", now()";

    /** Where the job ({@code j}) and the entry come from; its values: the idempotency key, then the job's id. */
    static final String SOURCE = " FROM jobs j LEFT JOIN job_history h ON h.job_id = j.id AND h.idempotency_key = ?"
            + " WHERE j.id = ?";

    private static final String SQL = "SELECT " + JobTable.columns("j") + ", " + COLUMNS + SOURCE;

    /** The state of job {@code id}, or empty if there is no such job. */
    static Optional<CurrentState> read(Connection connection, UUID id, String idempotencyKey) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setString(1, idempotencyKey);
            statement.setObject(2, id);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(of(row, 1, JobTable.COLUMN_COUNT + 1)) : Optional.empty();
            }
        }
    }

    /** The state in {@code row}: the job's columns from {@code jobFirst}, {@link #COLUMNS} from {@code entryFirst}. */
    static CurrentState of(ResultSet row, int jobFirst, int entryFirst) throws SQLException {
        Job job = JobTable.job(row, jobFirst);
        HistoryEntry entry = HistoryTable.entry(row, entryFirst);
        Instant now = JobTable.instant(row, entryFirst + HistoryTable.COLUMN_COUNT);
        return new CurrentState(job, Optional.ofNullable(entry), now);
    }
}
